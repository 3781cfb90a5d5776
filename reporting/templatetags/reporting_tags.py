"""Number formatting for the figures: Vietnamese digit grouping (1.234), a dash for no value; and the words a report
run stored, shown in the reader's language."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def vn_number(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and not value.is_integer():
        whole, _sep, fraction = f"{value:.1f}".partition(".")
        return f"{int(whole):,}".replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def in_reader_language(stored: Any) -> str:
    """A title or label a report run stored: runs are generated in Vietnamese, the source language of the
    catalogue (reporting/services.py), so its words are looked up in the reader's; a name (a unit, an agency, an
    admin's own label) has no entry and is shown as stored."""
    text = str(stored or "")
    if not text:
        return text
    shown = gettext(text)
    if shown == text and _JOINED in text:
        # A label made of two (an abuse form – its sub-type): each part is looked up.
        shown = _JOINED.join(gettext(part) for part in text.split(_JOINED))
    return shown


_JOINED = " – "
