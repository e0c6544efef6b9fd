"""Validators of the SDI dataset schema (``schemas/sdi_dataset.yaml``), named there.

Every message is English in the code (``tk._``), Indonesian through the ``schema`` i18n part,
and starts with the field's label in the reader's language, so an API caller and the form
both read which field is wrong; bad input of any shape answers with a message, never a 500.
The rules themselves are pure (``schemas/rules.py``).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError
from ckanext.splpdepok.common import clock
from ckanext.splpdepok.schemas import rules
from ckanext.splpdepok.schemas.logic import themes

Key = tuple[Any, ...]
Validator = Callable[[Key, dict[Key, Any], dict[Key, list[str]], Any], None]
_SHOWN_VALUE = 60  # characters of a rejected value repeated in its message


def scheming_validator(fn: Callable[..., Validator]) -> Callable[..., Validator]:
    """ckanext-scheming's marker (``ckanext.scheming.validation.scheming_validator``): scheming
    calls the function with (field, schema) to build the field's validator. Set here rather
    than imported: scheming's validation module collects every plugin's validators while it
    is being imported, so importing it from a validator module is circular."""
    setattr(fn, "is_a_scheming_validator", True)  # noqa: B010
    return fn


def current_lang() -> str:
    """The page's language; the site default outside a request (API calls from code)."""
    try:
        return str(tk.h.lang() or "") or _default_lang()
    except (RuntimeError, AttributeError, TypeError, KeyError):
        return _default_lang()


def _default_lang() -> str:
    return str(tk.config.get("ckan.locale_default") or "en")


def label_text(label: Any, lang: str | None = None) -> str:
    """A schema label (``{id: .., en: ..}`` or text) in ``lang`` (default: the page's)."""
    if isinstance(label, dict):
        wanted = lang or current_lang()
        return str(label.get(wanted) or label.get("id") or label.get("en")
                   or next(iter(label.values()), ""))
    return str(label or "")


def field_label(field: dict[str, Any] | None, fallback: str = "") -> str:
    return label_text((field or {}).get("label")) or fallback


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_VALUE else value[:_SHOWN_VALUE] + "…"


def _text_value(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                label: str) -> str | None:
    """The field's value as stripped text; None when missing (nothing to check); an empty
    value is removed and stops the chain.

    Numbers are read as their digits (an API client may send 2024); anything else, NUL bytes
    and lone surrogates are an error that stops the field's chain."""
    value = data.get(key)
    if value is tk.missing or value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors[key].append(tk._("{label}: must be text").format(label=label))
        raise StopOnError
    text = str(value).strip()
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
        errors[key].append(tk._("{label}: contains characters that are not allowed")
                           .format(label=label))
        raise StopOnError
    if not text:
        # Nothing chosen or typed: the field is left out (as ignore_missing does), so no empty
        # value is stored, faceted or sent to the national catalog.
        data.pop(key, None)
        raise StopOnError
    data[key] = text
    return text


@scheming_validator
def splpdepok_choice(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """One of the field's ``choices``: its value, or one of its labels in any language (case,
    spaces and hyphens aside), stored as the value. Replaces scheming's ``scheming_choices``,
    whose message lists raw codes in English."""
    options = {str(c["value"]): _labels(c.get("label")) for c in field.get("choices", [])}

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                  context: Any) -> None:
        label = field_label(field, str(key[-1]))
        text = _text_value(key, data, errors, label)
        if text is None:
            return
        found = rules.choice(text, options)
        if found is None:
            shown = ", ".join(label_text(c.get("label")) for c in field.get("choices", []))
            errors[key].append(
                tk._('{label}: "{value}" is not one of the options; choose one of: {options}')
                .format(label=label, value=_shown(text), options=shown))
            raise StopOnError
        data[key] = found

    return validator


def _labels(label: Any) -> list[str]:
    if isinstance(label, dict):
        return [str(v) for v in label.values()]
    return [str(label)] if label else []


@scheming_validator
def splpdepok_theme(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Kategori: one or more of the portal's theme groups (by title or name, any case),
    stored as their titles separated by ", " (what the national catalog and Jabar read).
    Also notes the previous Kategori so that saving moves the dataset between themes."""

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                  context: Any) -> None:
        package = context.get("package") if isinstance(context, dict) else None
        if package is not None and key == ("theme",):
            themes.remember_previous_theme(package)
        label = field_label(field, str(key[-1]))
        text = _text_value(key, data, errors, label)
        if text is None:
            return
        known = themes.theme_titles()
        if isinstance(context, dict):  # an import's dry run: the groups it would create first
            known = {**context.get("splpdepok_planned_themes", {}), **known}
        titles: list[str] = []
        for part in rules.categories(text):
            title = themes.match_title(part, known)
            if title is None:
                errors[key].append(
                    tk._('{label}: "{value}" is not a theme of this portal; choose one of: '
                         '{options}').format(label=label, value=_shown(part),
                                             options=", ".join(known.values()) or "-"))
                raise StopOnError
            if title not in titles:
                titles.append(title)
        data[key] = ", ".join(titles)

    return validator


@scheming_validator
def splpdepok_priority_year(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Data Prioritas (tahun): a 4-digit year from 2019 to next year, stored as text."""

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                  context: Any) -> None:
        label = field_label(field, str(key[-1]))
        text = _text_value(key, data, errors, label)
        if text is None:
            return
        try:
            data[key] = str(rules.priority_year(text, clock.now().date()))
        except rules.RuleError as error:
            errors[key].append(_year_message(error, label))
            raise StopOnError from None

    return validator


def _year_message(error: rules.RuleError, label: str) -> str:
    if error.code == "year_out_of_range":
        return tk._("{label}: enter a year from {low} to {high}").format(
            label=label, low=error.details["low"], high=error.details["high"])
    return tk._("{label}: enter a year of four digits, e.g. 2025").format(label=label)


@scheming_validator
def splpdepok_period(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Dimensi Data Awal/Akhir: a year (YYYY), a month (YYYY-MM) or a real date (YYYY-MM-DD)."""

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                  context: Any) -> None:
        label = field_label(field, str(key[-1]))
        text = _text_value(key, data, errors, label)
        if text is None:
            return
        try:
            rules.period(text)
        except rules.RuleError as error:
            if error.code == "not_a_date":
                message = tk._("{label}: {value} is not a real date (month 01-12, a day the "
                               "month has)").format(label=label, value=_shown(text))
            elif error.code == "year_out_of_range":
                message = _year_message(error, label)
            else:
                message = tk._("{label}: enter a year (YYYY) or a date (YYYY-MM-DD), e.g. "
                               "2020 or 2020-01-31").format(label=label)
            errors[key].append(message)
            raise StopOnError from None

    return validator


@scheming_validator
def splpdepok_resource_url(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A resource needs a link or an uploaded file (the upload sets the URL to its name)."""

    def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                  context: Any) -> None:
        label = field_label(field, "URL")
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return
        if value not in (None, tk.missing, "") and not isinstance(value, str):
            errors[key].append(tk._("{label}: must be text").format(label=label))
        else:
            errors[key].append(tk._("{label}: enter the address of the data or upload a file")
                               .format(label=label))
        raise StopOnError

    return validator


def splpdepok_dataset_checks(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]],
                             context: Any) -> None:
    """Checks across fields, after every field's own validators (``after_validators``):

    - the covered period does not end before it starts;
    - a dataset without resources is never public: it is kept as a draft until one is added
      (CKAN's own new-dataset flow then publishes it when the editor finishes).
    """
    _check_period_order(data, errors)
    if _would_be_public(data, context) and not _has_resources(data, context):
        data[("state",)] = "draft"


def _check_period_order(data: dict[Key, Any], errors: dict[Key, list[str]]) -> None:
    start, end = data.get(("temporal_start",)), data.get(("temporal_end",))
    if not (isinstance(start, str) and isinstance(end, str) and start and end):
        return
    if errors.get(("temporal_start",)) or errors.get(("temporal_end",)):
        return
    try:
        wrong = rules.end_before_start(start, end)
    except rules.RuleError:
        return
    if wrong:
        from ckanext.splpdepok.schemas import fields

        lang = current_lang()
        errors.setdefault(("temporal_end",), []).append(
            tk._("{label}: must not be before {start_label} ({start})").format(
                label=fields.label("temporal_end", lang),
                start_label=fields.label("temporal_start", lang), start=start))


def _stored(context: Any) -> Any:
    return context.get("package") if isinstance(context, dict) else None


def _would_be_public(data: dict[Key, Any], context: Any) -> bool:
    package = _stored(context)
    state = data.get(("state",))
    if state in (None, tk.missing, ""):
        state = package.state if package is not None else "active"
    private = data.get(("private",))
    if private in (None, tk.missing, ""):
        private = package.private if package is not None else False
    return state == "active" and not tk.asbool(private)


def _has_resources(data: dict[Key, Any], context: Any) -> bool:
    if any(len(k) == 3 and k[0] == "resources" for k in data):
        return True
    # No resources in the dict: CKAN's save then deletes the stored ones, except for a partial
    # update (the web form's stages), which keeps them (model_save.package_resource_list_save).
    package = _stored(context)
    partial = isinstance(context, dict) and context.get("allow_partial_update")
    return bool(package is not None and partial and package.resources)


def all_validators() -> dict[str, Any]:
    return {
        "splpdepok_choice": splpdepok_choice,
        "splpdepok_theme": splpdepok_theme,
        "splpdepok_priority_year": splpdepok_priority_year,
        "splpdepok_period": splpdepok_period,
        "splpdepok_resource_url": splpdepok_resource_url,
        "splpdepok_dataset_checks": splpdepok_dataset_checks,
    }
