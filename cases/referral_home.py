"""Home-page panels of referrals and transfers, each one aggregate query over what the user may see.

- A focal point gets their agency's inbox: awaiting an answer, overdue, being worked on.
- Whoever sees cases gets the same figures for the referrals of those cases (none at all: no panel).
- Commune officers and chairs get the transfer requests waiting for their answer.
Registered by cases/apps.py (`register_home_panel`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CaseTransfer, Referral, ReferralStatus
from childprotect.roles import COMMUNE_ROLES, Role

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
    if not user.is_authenticated or user.role not in COMMUNE_ROLES or user.unit is None:
        return None
    waiting = CaseTransfer.objects.visible_to(user).pending().filter(to_unit_path__startswith=user.unit.path).count()
    if not waiting:
        return None
    return {
        "title": _("Hồ sơ chuyển đến"),
        "text": _("Đề nghị chuyển hồ sơ đang chờ xã, phường của bạn đồng ý nhận."),
        "rows": [{"label": _("Chờ trả lời"), "value": waiting, "url": reverse("cases:transfer-list")}],
    }
