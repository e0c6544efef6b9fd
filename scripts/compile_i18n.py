"""Merge the per-capability Indonesian catalogs and compile them for CKAN's ITranslation.

Each capability keeps its own translations in ``i18n/<locale>/LC_MESSAGES/parts/<name>.po``
(msgids in English, the default UI language being Indonesian), so parallel work never edits one
file. This writes ``ckanext-splpdepok.po`` (merged, generated) and ``ckanext-splpdepok.mo``.
"""
from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

DOMAIN = "ckanext-splpdepok"


def _ckan_plural_forms(locale: str) -> str | None:
    """CKAN's own plural rule for the locale.

    flask-babel applies the plural rule of the last catalog it merges to every message, so ours
    must match CKAN's (Indonesian: one form) or CKAN's plural strings fall back to English.
    """
    import ckan

    po = Path(ckan.__file__).parent / "i18n" / locale / "LC_MESSAGES" / "ckan.po"
    if not po.exists():
        return None
    with po.open("rb") as f:
        return read_po(f, locale=locale).plural_forms


def merge_locale(lc_messages: Path) -> int:
    locale = lc_messages.parent.name
    merged = Catalog(locale=locale, domain=DOMAIN)
    plural_forms = _ckan_plural_forms(locale)
    for part in sorted((lc_messages / "parts").glob("*.po")):
        with part.open("rb") as f:
            catalog = read_po(f, locale=merged.locale)
        for message in catalog:
            if message.id and message.string:
                known = merged.get(message.id, message.context)
                if known is not None and known.string != message.string:
                    sys.exit(f"{part}: {message.id!r} translated differently in another part")
                merged.add(message.id, message.string, context=message.context)
    if plural_forms:
        merged.mime_headers = [*merged.mime_headers, ("Plural-Forms", plural_forms)]
    with (lc_messages / f"{DOMAIN}.po").open("wb") as f:
        write_po(f, merged, omit_header=False, width=0)
    with (lc_messages / f"{DOMAIN}.mo").open("wb") as f:
        write_mo(f, merged)
    return len(merged)


def main() -> None:
    root = Path(__file__).resolve().parent.parent / "ckanext-splpdepok/ckanext/splpdepok/i18n"
    for lc_messages in sorted(root.glob("*/LC_MESSAGES")):
        if (lc_messages / "parts").is_dir():
            count = merge_locale(lc_messages)
            print(f"{lc_messages.parent.name}: {count} messages", file=sys.stderr)


if __name__ == "__main__":
    main()
