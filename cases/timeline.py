"""Words for the timeline events whose meaning lives in their details: referrals and transfers.

`describe_events(events)` sets `event.summary` (a sentence such as "Công an tỉnh … đã hoàn thành chuyển gửi") and
`event.text` (what the person acting wrote: the reason, a progress note, the outcome) on each such event, with one
query for the agency names and one for the commune names, whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy

from cases.models import CaseEvent, CaseEventType
from cases.services.referrals import EVENT_LABELS as REFERRAL_LABELS
from childprotect.models import AdministrativeUnit, Agency
from childprotect.models.units import CURRENT_SCHEME, UnitKind

TRANSFER_LABELS: dict[str, Any] = {
    "requested": gettext_lazy("Đề nghị chuyển hồ sơ sang %(to)s"),
    "accepted": gettext_lazy("%(to)s đã nhận hồ sơ (chuyển từ %(from)s)"),
    "declined": gettext_lazy("%(to)s từ chối nhận hồ sơ"),
    "cancelled": gettext_lazy("Hủy đề nghị chuyển hồ sơ sang %(to)s"),
}


def describe_events(events: Iterable[CaseEvent]) -> None:
    events = list(events)
    referral_events = [e for e in events if e.event_type == CaseEventType.REFERRAL]
    transfer_events = [e for e in events if e.event_type == CaseEventType.TRANSFER]
    for event in events:
        described = event.event_type in {CaseEventType.REFERRAL, CaseEventType.TRANSFER}
        event.summary = ""  # type: ignore[attr-defined]
        event.text = (event.details or {}).get("text", "") if described else ""  # type: ignore[attr-defined]
    if referral_events:
        codes = {(e.details or {}).get("agency", "") for e in referral_events}
        names = dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))
        for event in referral_events:
            details = event.details or {}
            label = REFERRAL_LABELS.get(details.get("action", ""))
            if label is not None:
                agency = names.get(details.get("agency", ""), details.get("agency", ""))
                event.summary = str(label) % {"agency": agency}  # type: ignore[attr-defined]
    if transfer_events:
        codes = set()
        for event in transfer_events:
            codes.update({(event.details or {}).get("from_commune", ""), (event.details or {}).get("to_commune", "")})
        names = dict(
            AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, kind=UnitKind.COMMUNE, code__in=codes).values_list(
                "code", "full_name"
            )
        )
        for event in transfer_events:
            details = event.details or {}
            label = TRANSFER_LABELS.get(details.get("action", ""))
            if label is not None:
                words = {
                    "from": names.get(details.get("from_commune", ""), details.get("from_commune", "")),
                    "to": names.get(details.get("to_commune", ""), details.get("to_commune", "")),
                }
                event.summary = str(label) % words  # type: ignore[attr-defined]
