"""The portal speaks Indonesian by default and English when chosen (issue 10, point 3).

Headless Chromium renders the key pages of the demo portal in ``id`` (a visitor, an editor, the
walidata), reads what a person sees (``innerText`` of the body: no attributes, no scripts) and
fails on English: the strings the walk of issue 10 found, English month names, "ago", units,
plus every CKAN core msgid that the portal's catalog translates to something else, when it
stands alone on a line of the page. ``/en/...`` must show English. The pure formatting
(``common/timefmt.py``, ``sync/messages.py``) is checked here too.
"""
from __future__ import annotations

import datetime as dt
import re
import socket
import ssl
from pathlib import Path

import ckan
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from ckanext.splpdepok.common import timefmt
from ckanext.splpdepok.sync import messages
from playwright.sync_api import Page

from tests.support.browser import login
from tests.support.live_server import LiveServer, demo_portal  # noqa: F401

pytestmark = pytest.mark.browser

PKG = Path(__file__).resolve().parents[2] / "ckanext-splpdepok/ckanext/splpdepok"
MERGED_MO = PKG / "i18n/id/LC_MESSAGES/ckanext-splpdepok.mo"
CKAN_PO = Path(ckan.__file__).parent / "i18n/id/LC_MESSAGES/ckan.po"
PASSWORD = "Uji-bahasa-2026!"

MONTHS_EN = ("January", "February", "March", "June", "July", "August", "October",
             "December")  # April/September/November are spelled alike in Indonesian
ID_MONTHS = "|".join(timefmt.MONTHS["id"])
EN_MONTHS = "|".join(timefmt.MONTHS["en"])

# What the walk of issue 10 saw on Indonesian pages, and words no Indonesian page may show.
SEEN_IN_THE_WALK = (
    "You can also access this registry using the API", "Powered by", "Data last updated",
    "Metadata last updated", "There are no views created", "Create Dataset",
    "What are datasets?", "Visibility", "Next: Add Data", "Required field",
    "Must be purely lowercase alphanumeric", "is not a valid format", "Name or service not known",
    "Errno", "endpoint_url:", "context:", "The form contains invalid entries",
    "Unauthorized to register as a user", "Forgot your password", "Remember me",
    "Request Reset", "Not Found", "Forbidden", "Missing value", "Field\tValue",
)
ENGLISH_WORDS = (
    *MONTHS_EN, "Search", "Datasets", "Organizations", "Groups", "Resources", "License", "Log in",
    "Register", "Username", "Password", "Submit", "Cancel", "Save", "Delete", "Update",
    "Required", "Powered", "ago", "Last Updated", "Additional Info", "Explore", "Download",
    "Activity Stream", "Followers", "Home", "About", "Edit", "Add", "Create", "unknown",
    "minutes", "hours", "days", "UTC",
)


def _licence_titles() -> tuple[str, ...]:
    """The licence titles CKAN offers that are names (the facet and dataset pages show them in
    full); the generic ones ("License not specified", "Other (Open)") are words and must be
    translated, so they are not excused."""
    from ckan.model.license import LicenseRegister

    titles = {str(lic.title) for lic in LicenseRegister().licenses
              if lic.id not in ("notspecified",) and not lic.id.startswith("other-")}
    return tuple(sorted(titles, key=len, reverse=True))  # longest first: no partial leftovers


# Names, not words: licence titles are quoted as their owners spell them.
PROPER_NAMES = (*_licence_titles(), "Open Database License", "Open Data Commons",
                "Creative Commons")
UNITS = (re.compile(r"\b\d+ (min|h)\b"),)


def _msgstr(message: object) -> str:
    value = getattr(message, "string", "")
    return value if isinstance(value, str) else (value[0] if value else "")


def generated_english() -> set[str]:
    """CKAN core msgids that our merged catalog or CKAN's own translate to other words: seen
    whole on a line of an Indonesian page, they are untranslated English."""
    with CKAN_PO.open("rb") as f:
        core = read_po(f, locale="id")
    with MERGED_MO.open("rb") as f:
        ours = read_mo(f)
    found: set[str] = set()
    for message in core:
        msgid = message.id if isinstance(message.id, str) else message.id[0] if message.id else ""
        if not msgid or len(msgid) < 4 or len(msgid) > 80:
            continue
        if re.search(r"[{}%<>]|http|\.\.\.$", msgid) or not re.search(r"[a-z]{3}", msgid):
            continue
        theirs = ours.get(message.id)
        translated = _msgstr(theirs) if theirs is not None else _msgstr(message)
        if translated and translated.strip() != msgid.strip():
            found.add(msgid.strip())
    return found


GENERATED = generated_english()


def english_on(text: str) -> list[str]:
    """Every English string of the lists above that ``text`` (a page's innerText) shows."""
    for name in PROPER_NAMES:
        text = text.replace(name, "")
    lines = {part.strip() for line in text.splitlines() for part in line.split("\t")}
    problems = [s for s in SEEN_IN_THE_WALK if s in text]
    problems += [w for w in ENGLISH_WORDS if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    problems += [p.pattern for p in UNITS if p.search(text)]
    problems += sorted(GENERATED & lines)
    return problems


def visible_text(page: Page) -> str:
    """What a person reads: the body's innerText without the language picker (its options
    name each language in its own tongue, "English" included)."""
    return page.evaluate(
        """() => { const body = document.body.cloneNode(true);
                   body.querySelectorAll('form.lang-select, select, script, style, noscript')
                       .forEach(n => n.remove());
                   document.documentElement.appendChild(body);
                   const text = body.innerText; body.remove(); return text; }""")


# --- pure formatting ---------------------------------------------------------------------------

def test_dates_are_in_wib_and_indonesian_order() -> None:
    moment = dt.datetime(2026, 12, 2, 7, 5, tzinfo=dt.timezone.utc)
    assert timefmt.format_datetime(moment, "id") == "2 Desember 2026, 14.05 WIB"
    assert timefmt.format_datetime(moment, "en") == "2 December 2026, 14:05 WIB"
    assert timefmt.format_date(moment, "id") == "2 Desember 2026"
    # naive is UTC; an ISO string as CKAN's dicts hold it; late evening UTC is the next WIB day
    naive = dt.datetime(2026, 12, 31, 20, 30)  # noqa: DTZ001
    assert timefmt.format_datetime(naive, "id") == "1 Januari 2027, 03.30 WIB"
    assert timefmt.format_datetime("2026-08-17T02:00:00.123456", "id", with_hours=False) == \
        "17 Agustus 2026"
    assert timefmt.format_datetime("2026-08-17T02:00:00Z", "id", with_seconds=True) == \
        "17 Agustus 2026, 09.00.00 WIB"
    assert timefmt.format_datetime("not a date", "id") == ""
    assert timefmt.format_datetime(None, "id") == ""


def test_working_time_units_are_words_of_the_page_language() -> None:
    assert timefmt.format_duration(0, "id") == "0 menit"
    assert timefmt.format_duration(480, "id") == "8 jam"
    assert timefmt.format_duration(125.4, "id") == "2 jam 5 menit"
    assert timefmt.format_duration(125, "en") == "2 h 5 min"
    assert timefmt.format_duration(None, "id") == "—"
    assert timefmt.format_duration("x", "id") == "—"


@pytest.mark.parametrize(("error", "kind"), [
    (socket.gaierror(-2, "Name or service not known"), "dns"),
    (ConnectionRefusedError(111, "Connection refused"), "refused"),
    (TimeoutError("timed out"), "timeout"),
    (ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed"),
     "tls"),
    (OSError(101, "Network is unreachable"), "other"),
])
def test_network_errors_become_plain_sentences(error: OSError, kind: str) -> None:
    wrapped = ConnectionError("HTTPSConnectionPool(host='katalog.example'): Max retries exceeded")
    wrapped.__cause__ = error
    assert messages.network_kind(wrapped) == kind
    sentence = messages.network_error(wrapped, "katalog.example")
    assert "Errno" not in sentence and "Pool" not in sentence and "katalog.example" in sentence


def test_real_dns_failure_is_named() -> None:
    with pytest.raises(OSError) as caught:
        socket.getaddrinfo("tidak-ada.invalid", 443)
    assert messages.network_kind(caught.value) == "dns"


def test_stored_messages_are_shown_translated() -> None:
    catalog = read_mo(MERGED_MO.open("rb"))

    def gettext(msgid: str) -> str:
        found = catalog.get(msgid)
        return _msgstr(found) if found is not None and _msgstr(found) else msgid

    stored = messages.RETRY_CKAN % {
        "action": "package_create", "attempts": 5,
        "reason": messages.network_error(socket.gaierror(-2, "x"), "data.go.id")}
    shown = messages.translate(stored, gettext)
    assert shown.startswith("Tujuan tidak menjawab package_create setelah 5 kali percobaan")
    assert "Alamat data.go.id tidak ditemukan (DNS)" in shown
    assert messages.translate(messages.http_error(503, "x.id"), gettext) == \
        "Server x.id mengalami galat (HTTP 503): coba lagi nanti."
    assert messages.translate("something else", gettext) == "something else"
    untranslated = [t for t in messages.TEMPLATES if gettext(t) == t]
    assert not untranslated, untranslated


def test_the_generated_list_holds_the_walks_strings() -> None:
    # the list is generated, not hand-picked: the strings the walk saw are in it
    for msgid in ("Create Dataset", "What are datasets?", "Visibility", "Next: Add Data",
                  "Required field", "Data last updated", "Remember me", "Field"):
        assert msgid in GENERATED, msgid


# --- pages -------------------------------------------------------------------------------------

def _walk(page: Page, base: str, paths: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, path in paths.items():
        response = page.goto(base + path)
        assert response is not None and response.status < 500, (path, response)
        page.wait_for_load_state("networkidle")
        problems = english_on(visible_text(page))
        if problems:
            found[f"{name} ({path})"] = problems
    return found


def test_key_pages_show_no_english(page: Page, demo_portal: LiveServer) -> None:  # noqa: F811
    base = demo_portal.url
    dataset = demo_portal.action("package_search", {"q": "puskesmas", "rows": 1})["results"][0]
    resource = dataset["resources"][0]
    found = _walk(page, base, {
        "home": "/", "search": "/dataset", "search query": "/dataset?q=puskesmas",
        "dataset": f"/dataset/{dataset['name']}",
        "resource": f"/dataset/{dataset['name']}/resource/{resource['id']}",
        "organizations": "/organization", "organization": "/organization/dinkes",
        "groups": "/group", "sign-in": "/user/login", "sign-up": "/user/register",
        "reset": "/user/reset", "registration": "/pendaftaran", "LID catalog": "/katalog-lid",
        "not found": "/dataset/tidak-ada-dataset-ini", "forbidden": "/ckan-admin",
    })
    # resource page dates read "2 Desember 2026"; the activity stream's full times "…, 14.05 WIB"
    page.goto(f"{base}/dataset/{dataset['name']}/resource/{resource['id']}")
    assert re.search(rf"Data terakhir diperbarui\s+\d{{1,2}} ({ID_MONTHS}) \d{{4}}",
                     visible_text(page))

    demo_portal.create_user("editor-dinkes", password=PASSWORD)
    token = demo_portal.api_token("editor-dinkes")
    demo_portal.action("package_patch", {"id": dataset["id"], "version": "2.0"}, token)
    login(page, base, "editor-dinkes", PASSWORD)
    page.goto(f"{base}/dataset/activity/{dataset['name']}")
    title = page.locator(".activity .date").first.get_attribute("title") or ""
    assert re.fullmatch(rf"\d{{1,2}} ({ID_MONTHS}) \d{{4}}, \d\d\.\d\d WIB", title), title
    found |= _walk(page, base, {
        "new dataset": "/dataset/new", "activity": f"/dataset/activity/{dataset['name']}",
        "dashboard": "/dashboard/datasets",
        "new resource": f"/dataset/{dataset['name']}/resource/new",
        "edit dataset": f"/dataset/edit/{dataset['name']}",
        "profile": "/user/edit/editor-dinkes",
    })
    page.goto(base + "/dataset/new")
    page.locator("button[name=save]").first.click()
    page.wait_for_load_state("networkidle")
    text = visible_text(page)
    assert "Formulir berisi isian yang tidak sah" in text
    if english_on(text):
        found["dataset form with errors"] = english_on(text)
    page.goto(base + "/user/_logout")

    demo_portal.create_user("walidata-uji", sysadmin=True, password=PASSWORD)
    login(page, base, "walidata-uji", PASSWORD)
    found |= _walk(page, base, {"sync": "/ckan-admin/sinkronisasi",
                                "new sync target": "/ckan-admin/sinkronisasi/baru"})
    page.goto(base + "/ckan-admin/sinkronisasi/baru")
    page.fill("#field-name", "uji-bahasa")
    page.select_option("#field-type", "ckan")
    page.fill("#field-url", "")
    page.locator("form:has(#field-name) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".alert-danger").first.inner_text()
    assert "Alamat dasar:" in summary and "url:" not in summary, summary
    if english_on(visible_text(page)):
        found["sync form with errors"] = english_on(visible_text(page))
    assert not found, "English on Indonesian pages:\n" + "\n".join(
        f"  {where}: {problems}" for where, problems in found.items())


def test_english_when_chosen(page: Page, demo_portal: LiveServer) -> None:  # noqa: F811
    base = demo_portal.url
    dataset = demo_portal.action("package_search", {"q": "puskesmas", "rows": 1})["results"][0]
    page.goto(base + "/en/")
    text = visible_text(page)
    assert "Search datasets" in text and "Recently updated datasets" in text
    assert re.search(rf"\d{{1,2}} ({EN_MONTHS}) \d{{4}}", text)
    page.goto(f"{base}/en/dataset/{dataset['name']}")
    text = visible_text(page)
    assert "Data and Resources" in text and "Additional Info" in text
    assert "Informasi Tambahan" not in text
    page.goto(base + "/en/user/login")
    assert "Remember me" in visible_text(page)


def test_formatting_modules_are_pure() -> None:
    from tests.test_layout import _why_impure

    for module in ("ckanext.splpdepok.common.timefmt", "ckanext.splpdepok.sync.messages"):
        assert _why_impure(module) is None, module
