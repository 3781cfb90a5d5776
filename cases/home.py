"""The home-page panels of the case app, each one aggregate query over what the user may see, each figure a link
to the list it counts. Registered by cases/apps.py (`register_home_panel`).

- Cases: open, overdue and due soon among the cases the user sees.
- Referrals: a focal point gets their agency's inbox (awaiting an answer, overdue, being worked on); whoever sees
  cases gets the same figures for the referrals of those cases (none at all: no panel).
- Transfers: commune officers and chairs get the transfer requests waiting for their answer.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseTransfer, Referral, ReferralStatus
from cases.querysets import due_condition, due_soon_hours
from childprotect.roles import Role


def case_counts(user: Any) -> dict[str, int] | None:
    """{"open", "overdue", "soon"} over the open cases the user sees; None if the user sees no case at all
    (then no query is made)."""
    visible = Case.objects.visible_to(user)
    if visible.query.is_empty():
        return None
    now = timezone.now()
    counts: dict[str, int] = visible.open().aggregate(
        open=Count("id"),
        overdue=Count("id", filter=due_condition("overdue", now)),
        soon=Count("id", filter=due_condition("soon", now)),
    )
    return counts


def case_home_panel(user: Any) -> dict[str, Any] | None:
    counts = case_counts(user)
    if counts is None:
        return None
    url = reverse("cases:list")
    return {
        "title": _("Hồ sơ vụ việc"),
        "text": _("Hồ sơ đang xử lý trong phạm vi bạn được xem."),
        "rows": [
            {"label": _("Đang xử lý"), "value": counts["open"], "url": f"{url}?open=true"},
            {"label": _("Quá hạn"), "value": counts["overdue"], "url": f"{url}?open=true&due=overdue"},
            {
                "label": _("Sắp đến hạn (%(hours)s giờ tới)") % {"hours": due_soon_hours()},
                "value": counts["soon"],
                "url": f"{url}?open=true&due=soon&ordering=next_deadline_at",
            },
        ],
    }


S = ReferralStatus


def referral_counts(user: Any) -> dict[str, int] | None:
    visible = Referral.objects.visible_to(user)
    if visible.query.is_empty():
        return None
    now = timezone.now()
    counts: dict[str, int] = visible.aggregate(
        waiting=Count("id", filter=Q(status=S.SENT)),
        overdue=Count("id", filter=Q(status=S.SENT, due_at__lte=now)),
        working=Count("id", filter=Q(status__in=[S.ACCEPTED, S.IN_PROGRESS])),
    )
    return counts


def referral_home_panel(user: Any) -> dict[str, Any] | None:
    counts = referral_counts(user)
    if counts is None:
        return None
    url = reverse("cases:referral-list")
    inbox = user.role == Role.AGENCY_FOCAL_POINT
    return {
        "title": _("Hộp chuyển gửi") if inbox else _("Chuyển gửi liên ngành"),
        "text": _("Chuyển gửi tới cơ quan của bạn.") if inbox else _("Chuyển gửi của các hồ sơ bạn được xem."),
        "rows": [
            {"label": _("Chờ phản hồi"), "value": counts["waiting"], "url": f"{url}?state=open"},
            {"label": _("Quá hạn phản hồi"), "value": counts["overdue"], "url": f"{url}?state=overdue"},
            {"label": _("Đang thực hiện"), "value": counts["working"], "url": f"{url}?state=open"},
        ],
    }


def transfer_home_panel(user: Any) -> dict[str, Any] | None:
    waiting = CaseTransfer.objects.awaiting_answer_of(user).count()
    if not waiting:
        return None
    return {
        "title": _("Hồ sơ chuyển đến"),
        "text": _("Đề nghị chuyển hồ sơ đang chờ xã, phường của bạn đồng ý nhận."),
        "rows": [{"label": _("Chờ trả lời"), "value": waiting, "url": reverse("cases:transfer-list")}],
    }
