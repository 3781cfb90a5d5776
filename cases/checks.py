"""Start-up checks of the cases app's settings (`manage.py check` runs them, and so does every server start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_referral_settings(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """REFERRAL_FIELDS_BY_SECTOR names only fields of the need-to-know view (never the reporter: it is not one),
    and REFERRAL_RESPONSE_HOURS gives a positive number of hours for every urgency."""
    from cases.models import ReferralUrgency
    from cases.need_to_know import CASE_FIELDS

    errors = []
    for sector, names in getattr(settings, "REFERRAL_FIELDS_BY_SECTOR", {}).items():
        unknown = sorted(set(names) - set(CASE_FIELDS))
        if unknown:
            errors.append(
                Error(
                    f"REFERRAL_FIELDS_BY_SECTOR[{sector!r}] names unknown fields: {', '.join(unknown)}.",
                    hint=f"Use the names of cases/need_to_know.py CASE_FIELDS: {', '.join(sorted(CASE_FIELDS))}.",
                    id="cases.E001",
                )
            )
    hours = getattr(settings, "REFERRAL_RESPONSE_HOURS", {})
    errors.extend(
        Error(
            f"REFERRAL_RESPONSE_HOURS has no positive number of hours for {urgency!r}.",
            hint="Set REFERRAL_RESPONSE_HOURS_IMMEDIATE, _URGENT and _NORMAL to whole hours above 0.",
            id="cases.E002",
        )
        for urgency in ReferralUrgency.values
        if not isinstance(hours.get(urgency), int) or hours[urgency] <= 0
    )
    return errors
