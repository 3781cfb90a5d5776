"""The home-page panels of the case app, each one aggregate query over what the user may see, each figure a link
to the list it counts. Registered by cases/apps.py (`register_home_panel`).

- Cases: open, overdue and due soon among the cases the user sees.
- Referrals: a focal point gets their agency's inbox (awaiting an answer, overdue, being worked on); whoever sees
  cases gets the same figures for the referrals of those cases (none at all: no panel).
- Transfers: commune officers and chairs get the transfer requests waiting for their answer.

And the groups of the "Việc cần làm" panel (childprotect/home.py `register_todo`) that are about cases and
referrals: an officer's overdue and due-today steps, returned plans and the commune's unassigned cases; a chair's
plans and separations awaiting their decision (and the unassigned cases they may assign); a focal point's
referrals to answer, overdue first; a province officer's escalated (overdue) referrals. Each group runs the very
filter of the list it links to (CaseFilter, the referral tabs), so its count is the length of that list; each item
links to the page where the thing is done. One query per group (its count), and one more for its first items
when it has any, however many entries. Every group here names children or their cases (`shows_children`): the home
page's view of them is audited (childprotect/home.py `children_shown`).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.filters import CaseFilter
from cases.models import Case, CaseStatus, CaseTransfer, DeadlineStep, Referral, ReferralStatus
from cases.querysets import deadline_state, due_condition, due_soon_hours, order_cases, referral_state_q
from childprotect.home import TODO_ITEMS, TodoGroup, TodoItem
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


def hotline_home_panel(user: Any) -> dict[str, Any] | None:
    """What the 111 operator does here: the role has no area of its own, so the home page says what it may do
    (record a call for any commune) and what it sees (its own cases, until the commune takes them)."""
    if user.role != Role.HOTLINE_OPERATOR or not user.is_active:
        return None
    own = Case.objects.visible_to(user).exclude(status=CaseStatus.DRAFT).count()
    return {
        "title": str(user.get_role_display()),
        "text": _(
            "Bạn ghi nhận cuộc gọi báo tin về trẻ em cho bất kỳ xã, phường nào trong cả nước; xã, phường đó được "
            "báo ngay. Bạn xem được những hồ sơ mình đã ghi nhận cho đến khi xã, phường tiếp nhận (phân công cán "
            "bộ hoặc đánh giá ban đầu); sau đó hồ sơ do xã, phường xử lý."
        ),
        "rows": [
            {"label": _("Ghi nhận cuộc gọi mới"), "value": "+", "url": reverse("cases:intake")},
            {
                "label": _("Hồ sơ bạn đã ghi nhận, xã chưa tiếp nhận"),
                "value": own,
                "url": reverse("cases:list") + "?recorded=true",  # the list of exactly what is counted
            },
        ],
    }


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
        **{state: Count("id", filter=referral_state_q(state, now)) for state in ("waiting", "overdue", "working")}
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
            {"label": _("Chờ phản hồi"), "value": counts["waiting"], "url": f"{url}?state=waiting"},
            {"label": _("Quá hạn phản hồi"), "value": counts["overdue"], "url": f"{url}?state=overdue"},
            {"label": _("Đang thực hiện"), "value": counts["working"], "url": f"{url}?state=working"},
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


# --- The "Việc cần làm" panel ------------------------------------------------------------------------------------


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y") if moment else ""


def _case_group(user: Any, key: str, label: str, query: dict[str, Any], anchor: str = "") -> TodoGroup:
    """The cases of the list `/cases/?<query>` as the list itself finds them (CaseFilter on the same visible
    cases, in the same order): their number, and the first few, each linking to its case page."""
    data = QueryDict(mutable=True)
    data.update(query)
    visible = Case.objects.visible_to(user).select_related("child")
    filterset = CaseFilter(data, queryset=visible, request=SimpleNamespace(user=user))
    valid = filterset.is_valid()
    cases = order_cases(filterset.qs if valid else visible.none(), query.get("ordering"))
    count = cases.count()
    now = timezone.now()
    items = []
    for case in cases[:TODO_ITEMS] if count else []:
        step = str(DeadlineStep(case.next_deadline_step).label) if case.next_deadline_step else ""
        detail = [case.child.full_name, step, _when(case.next_deadline_at)]
        items.append(
            TodoItem(
                label=case.case_number or f"#{case.pk}",
                detail=" · ".join(part for part in detail if part),
                url=reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""),
                state=deadline_state(case.next_deadline_at, now, case.next_deadline_step),
            )
        )
    url = f"{reverse('cases:list')}?{urlencode(query)}"
    return TodoGroup(key=key, label=label, count=count, url=url, items=items, shows_children=True)


# The lists each commune role's groups open (the case list's own filters).
SOONEST_FIRST = {"open": "true", "ordering": "next_deadline_at"}
UNASSIGNED = {"open": "true", "unassigned": "true"}


def case_todo(user: Any) -> list[TodoGroup]:
    """The officer's and the chair's groups (commune roles only: others do not work cases)."""
    if user.role == Role.COMMUNE_OFFICER:
        mine = {**SOONEST_FIRST, "officer": user.pk}
        return [
            _case_group(user, "overdue", _("Hồ sơ của bạn có bước quá hạn"), {**mine, "due": "overdue"}),
            _case_group(user, "today", _("Hồ sơ của bạn đến hạn hôm nay"), {**mine, "due": "today"}),
            _case_group(user, "returned", _("Kế hoạch bị trả lại"), {**mine, "plan": "returned"}, "workflow"),
            _case_group(user, "unassigned", _("Hồ sơ chưa phân công"), UNASSIGNED, "assignment"),
        ]
    if user.role == Role.COMMUNE_CHAIR:
        return [
            _case_group(user, "plans", _("Kế hoạch chờ phê duyệt"), {**SOONEST_FIRST, "plan": "submitted"}, "workflow"),
            _case_group(
                user,
                "separations",
                _("Tạm thời cách ly chờ quyết định"),
                {**SOONEST_FIRST, "separation": "active"},
                "workflow",
            ),
            _case_group(user, "unassigned", _("Hồ sơ chưa phân công"), UNASSIGNED, "assignment"),
        ]
    return []


def referral_todo(user: Any) -> list[TodoGroup]:
    """A focal point: referrals to answer, overdue first. A province officer: the overdue ones of the province
    (escalated to them by the referral sweep)."""
    if user.role == Role.AGENCY_FOCAL_POINT:
        state, label = "waiting", _("Chuyển gửi chờ phản hồi")
    elif user.role == Role.PROVINCE_OFFICER:
        state, label = "overdue", _("Chuyển gửi quá hạn phản hồi (báo lên tỉnh)")
    else:
        return []
    now = timezone.now()
    referrals = Referral.objects.visible_to(user).filter(referral_state_q(state, now)).order_by("due_at", "id")
    count = referrals.count()
    items = [
        TodoItem(
            label=referral.case.case_number or f"#{referral.case_id}",
            detail=" · ".join([referral.agency.name, _when(referral.due_at)]),
            url=reverse("cases:referral-detail", args=[referral.pk]),
            state="overdue" if referral.due_at <= now else deadline_state(referral.due_at, now),
        )
        for referral in (referrals.select_related("case", "agency")[:TODO_ITEMS] if count else [])
    ]
    return [
        TodoGroup(
            key=f"referrals-{state}",
            label=label,
            count=count,
            url=f"{reverse('cases:referral-list')}?state={state}",
            items=items,
            shows_children=True,  # case numbers, as in the referral list (audited the same way)
        )
    ]
