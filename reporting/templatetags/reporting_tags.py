"""Number formatting for the figures: Vietnamese digit grouping (1.234), a dash for no value."""

from __future__ import annotations

from typing import Any

from django import template

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
