"""Words for the timeline: what each entry recorded, in a sentence, and where on the case page it is kept.

`describe_events(events, casefile)` sets on each event:
- `summary`: a sentence of what the entry recorded ("Đánh giá ban đầu (Mẫu 02): tổn hại Cao, nguy cơ Trung bình",
  "Công an tỉnh … đã hoàn thành chuyển gửi", "Phê duyệt kế hoạch chu kỳ 1, quyết định số 12/QĐ-UBND");
- `text`: what the person acting wrote for the file (a reason, a progress note, an outcome), when there is one;
- `section`: the anchor of the record or section of the case page that holds the entry in full.

The records come from the case file already loaded (cases/casefile.py); agency and commune names take one query
each, whatever the number of events.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.casefile import CaseFile, day, money, plan_total
from cases.corrections import RECORDS
from cases.models import AbuseForm, CaseEvent, CaseEventType, CaseStatus, DeadlineStep
from cases.services.referrals import EVENT_LABELS as REFERRAL_LABELS
from childprotect.models import AdministrativeUnit, Agency
from childprotect.models.units import CURRENT_SCHEME, UnitKind

TRANSFER_LABELS: dict[str, Any] = {
    "requested": gettext_lazy("Đề nghị chuyển hồ sơ sang %(to)s"),
    "accepted": gettext_lazy("%(to)s đã nhận hồ sơ (chuyển từ %(from)s)"),
    "declined": gettext_lazy("%(to)s từ chối nhận hồ sơ"),
    "cancelled": gettext_lazy("Hủy đề nghị chuyển hồ sơ sang %(to)s"),
}
SHORT = 160  # characters of free text quoted in a summary


def _short(text: str) -> str:
    return Truncator(" ".join((text or "").split())).chars(SHORT)


def describe_events(events: Iterable[CaseEvent], casefile: CaseFile | None = None) -> None:
    events = list(events)
    for event in events:
        event.summary = ""  # type: ignore[attr-defined]
        event.section = ""  # type: ignore[attr-defined]
        described = event.event_type in {CaseEventType.REFERRAL, CaseEventType.TRANSFER}
        event.text = (event.details or {}).get("text", "") if described else ""  # type: ignore[attr-defined]
    _describe_referrals([e for e in events if e.event_type == CaseEventType.REFERRAL])
    _describe_transfers([e for e in events if e.event_type == CaseEventType.TRANSFER])
    if casefile is not None:
        for event in events:
            _describe_step(event, casefile)


def _describe_referrals(events: list[CaseEvent]) -> None:
    if not events:
        return
    codes = {(e.details or {}).get("agency", "") for e in events}
    names = dict(Agency.objects.filter(code__in=codes).values_list("code", "name"))
    for event in events:
        details = event.details or {}
        event.section = "referrals"  # type: ignore[attr-defined]
        label = REFERRAL_LABELS.get(details.get("action", ""))
        if label is not None:
            agency = names.get(details.get("agency", ""), details.get("agency", ""))
            event.summary = str(label) % {"agency": agency}  # type: ignore[attr-defined]


def _describe_transfers(events: list[CaseEvent]) -> None:
    if not events:
        return
    codes = set()
    for event in events:
        codes.update({(event.details or {}).get("from_commune", ""), (event.details or {}).get("to_commune", "")})
    names = dict(
        AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, kind=UnitKind.COMMUNE, code__in=codes).values_list(
            "code", "full_name"
        )
    )
    for event in events:
        details = event.details or {}
        label = TRANSFER_LABELS.get(details.get("action", ""))
        if label is not None:
            words = {
                "from": names.get(details.get("from_commune", ""), details.get("from_commune", "")),
                "to": names.get(details.get("to_commune", ""), details.get("to_commune", "")),
            }
            event.summary = str(label) % words  # type: ignore[attr-defined]


def _describe_step(event: CaseEvent, cf: CaseFile) -> None:
    """The procedure's own entries: what the step recorded, from the record it names in its details."""
    details = event.details or {}
    kind, to = event.event_type, event.to_status
    summary, section, text = "", "", ""
    assessments = {a.pk: a for a in cf.assessments}
    measures = {m.pk: m for m in cf.measures}
    plans = {p.pk: p for p in cf.plans}
    if kind == CaseEventType.CREATED:
        section = "intake"  # the receipt that follows says what was received
    elif to == CaseStatus.RECEIVED:
        case = cf.case
        summary = _("Tiếp nhận %(kind)s") % {"kind": case.get_kind_display().lower()}
        if case.abuse_forms:
            summary += ": " + ", ".join(
                str(label).lower() for value, label in AbuseForm.choices if value in case.abuse_forms
            )
        section = "intake"
    elif kind == CaseEventType.DRAFT_SAVED:
        summary, section = _("Lưu bản nháp phiếu tiếp nhận"), "intake"
    elif kind == CaseEventType.ASSESSMENT and details.get("assessment_id") in assessments:
        a = assessments[details["assessment_id"]]
        levels = {"harm": a.get_harm_level_display(), "risk": a.get_risk_level_display()}
        if details.get("kind") == "initial":
            summary = _("Đánh giá ban đầu (Mẫu 02): tổn hại %(harm)s, nguy cơ %(risk)s") % levels
            if a.serious_danger:
                summary += "; " + _("trẻ có nguy cơ bị tổn hại nghiêm trọng")
        else:
            summary = _("Đánh giá chi tiết (Mẫu 03): tổn hại %(harm)s, nguy cơ %(risk)s") % levels
            text = _("Nhu cầu của trẻ: %(needs)s") % {"needs": _short(a.needs)} if a.needs else ""
        section = f"assessment-{a.pk}"
    elif kind == CaseEventType.EMERGENCY and details.get("measure_id") in measures:
        m = measures[details["measure_id"]]
        if details.get("revoked"):
            summary = _("Chấm dứt tạm thời cách ly")
            text = details.get("reason", "")
        elif details.get("extended_to"):
            summary = _("Gia hạn tạm thời cách ly đến %(until)s") % {"until": day(m.ends_at and m.ends_at.date())}
            text = _("Theo yêu cầu của: %(authority)s") % {"authority": details.get("authority", "")}
        else:
            summary = str(m.get_kind_display())
            if m.decision_number:
                summary += ", " + _("quyết định số %(number)s") % {"number": m.decision_number}
            if m.placement:
                summary += "; " + _("nơi ở: %(place)s") % {"place": m.placement}
        section = f"measure-{m.pk}"
    elif "meeting_id" in details:
        meeting = next((m for m in cf.meetings if m.pk == details["meeting_id"]), None)
        if meeting is not None:
            summary = _("Họp xác định nhu cầu, biện pháp ngày %(on)s") % {"on": day(meeting.held_on)}
            text = _short(meeting.decisions)
            section = f"meeting-{meeting.pk}"
    elif kind == CaseEventType.PLAN and details.get("plan_id") in plans:
        plan = plans[details["plan_id"]]
        words = {"cycle": plan.cycle}
        section = f"plan-{plan.pk}"
        if details.get("returned"):
            summary = _("Chủ tịch UBND xã trả lại kế hoạch chu kỳ %(cycle)s để sửa") % words
            text, section = details.get("reason", ""), f"event-{event.pk}"
        elif to == CaseStatus.PLAN_APPROVED:
            summary = _("Phê duyệt kế hoạch chu kỳ %(cycle)s") % words
            if plan.decision_number:
                summary += ", " + _("quyết định số %(number)s") % {"number": plan.decision_number}
            section = f"approval-{plan.pk}"
        elif to == CaseStatus.PLAN_DRAFTED and "cycle" in details:
            summary = _("Bắt đầu xây dựng kế hoạch chu kỳ %(cycle)s sau rà soát") % words
        elif to == CaseStatus.PLAN_DRAFTED:
            summary = _("Trình Chủ tịch UBND xã phê duyệt kế hoạch chu kỳ %(cycle)s: %(n)s dòng, dự toán %(total)s") % {
                **words,
                "n": len(plan.items.all()),
                "total": money(plan_total(plan)),
            }
        else:
            summary = _("Lưu dự thảo kế hoạch chu kỳ %(cycle)s: %(n)s dòng") % {**words, "n": details.get("items", 0)}
    elif to == CaseStatus.IN_PROGRESS:
        summary, section = _("Bắt đầu thực hiện kế hoạch"), "implementation"
    elif "review_id" in details and to == CaseStatus.REVIEW:
        review = next((r for r in cf.reviews if r.pk == details["review_id"]), None)
        if review is not None:
            summary = _("Rà soát, đánh giá (Mẫu 06): %(outcome)s") % {"outcome": review.get_outcome_display().lower()}
            text, section = _short(review.findings), f"review-{review.pk}"
    elif to == CaseStatus.CLOSED:
        summary = _("Kết thúc hồ sơ")
        if details.get("decision_number"):
            summary += ", " + _("quyết định số %(number)s") % {"number": details["decision_number"]}
        text, section = details.get("note", ""), "closure"
    elif to == CaseStatus.NOT_SUBSTANTIATED:
        summary, text, section = _("Kết luận thông tin không có cơ sở"), details.get("reason", ""), "closure"
    elif kind == CaseEventType.DEADLINE_OVERDUE:
        steps = dict(DeadlineStep.choices)
        summary = _("Quá hạn: %(step)s") % {"step": steps.get(details.get("step", ""), details.get("step", ""))}
        section = "deadlines"
    elif kind == CaseEventType.ATTACHMENT:
        section = "attachments"
    elif kind == CaseEventType.HANDED_TO_COMMUNE:
        summary, section = _("Tổng đài chuyển hồ sơ cho xã, phường phụ trách"), "intake"
    elif kind == CaseEventType.CORRECTED:
        record = RECORDS.get(details.get("record", ""))
        if record is not None:
            fields = ", ".join(record.field_label(name).lower() for name in details.get("fields", []))
            summary = _("Sửa %(record)s: %(fields)s") % {"record": str(record.label).lower(), "fields": fields}
        text, section = details.get("reason", ""), "history"
    elif kind == CaseEventType.ASSIGNED:
        summary = _("Phân công cán bộ phụ trách") if details.get("officer_id") else _("Trả hồ sơ về hàng chờ của xã")
        text, section = details.get("note", ""), "assignment"
    if summary:
        event.summary = summary  # type: ignore[attr-defined]
    if text:
        event.text = text  # type: ignore[attr-defined]
    if section:
        event.section = section  # type: ignore[attr-defined]
