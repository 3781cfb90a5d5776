"""What each role's home page shows: real figures of the user's own jurisdiction, computed in SQL.

Domain apps extend the home page by registering a panel provider here (`register_home_panel`), so the platform
does not import them (dependencies point one way: apps use childprotect, never the reverse).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from childprotect.access import ALL_UNITS, is_active_user, jurisdiction_path
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.units import UnitKind
from childprotect.roles import NATIONAL_ROLES, Role

PanelProvider = Callable[[User], "dict[str, Any] | None"]
_providers: list[PanelProvider] = []


@dataclass
class TodoItem:
    """One thing waiting on the user, linking to the page where it is done."""

    label: str
    detail: str
    url: str
    state: str = ""  # "overdue", "now", "soon" or "": how urgent it is


@dataclass
class TodoGroup:
    """One kind of thing waiting on the user: how many (`count` equals the length of the list `url` opens) and
    the first few of them, in that list's order."""

    key: str
    label: str
    count: int
    url: str
    items: list[TodoItem] = field(default_factory=list)
    # Its items name children or their cases (a child's name, a case number): showing them is a read of a list of
    # children, audited once per home page view (`children_shown`, issue 13).
    shows_children: bool = False


# How many items each group shows on the home page; the group's link opens all of them.
TODO_ITEMS = 5
TodoProvider = Callable[[User], "list[TodoGroup]"]
_todo_providers: list[TodoProvider] = []


def register_todo(provider: TodoProvider) -> TodoProvider:
    """An app adds the groups of the "Việc cần làm" panel that are about its records."""
    _todo_providers.append(provider)
    return provider


def todo_groups(user: User) -> list[TodoGroup]:
    """The "Việc cần làm" panel: every group that has something waiting on this user, in the apps' order."""
    if not is_active_user(user):
        return []
    return [group for provider in _todo_providers for group in provider(user) if group.count]


def children_shown(groups: list[TodoGroup]) -> dict[str, int]:
    """{group key: items shown} for the groups whose items name children or their cases and that showed any: what
    the home page's one audit row says (childprotect.services.record_list_read, list "home"). Empty: the page
    showed no child, and writes no row."""
    return {group.key: len(group.items) for group in groups if group.shows_children and group.items}


def register_home_panel(provider: PanelProvider) -> PanelProvider:
    _providers.append(provider)
    return provider


def home_panels(user: User) -> list[dict[str, Any]]:
    panels = [p for p in (provider(user) for provider in [_jurisdiction_panel, *_providers]) if p]
    return panels


def _jurisdiction_panel(user: User) -> dict[str, Any] | None:
    path = jurisdiction_path(user)
    if path is None and user.role == Role.HOTLINE_OPERATOR and is_active_user(user):
        return None  # the hotline works for every commune, not in one: the cases app's panel says what it does
    if path is None and user.role in NATIONAL_ROLES:
        # The national role has no unit: it reads statistics of every province (its panels: reporting/home.py).
        units = AdministrativeUnit.objects.current()
        return {
            "title": user.get_role_display(),
            "text": _("Số liệu thống kê, văn bản chỉ đạo và báo cáo của các tỉnh, thành phố; không xem hồ sơ trẻ em."),
            "rows": [
                {"label": _("Tỉnh, thành phố"), "value": units.filter(kind=UnitKind.PROVINCE).count()},
                {"label": _("Xã, phường, đặc khu"), "value": units.filter(kind=UnitKind.COMMUNE).count()},
            ],
        }
    if path is None:
        return {
            "title": _("Chưa được giao địa bàn"),
            "text": _(
                "Tài khoản của bạn chưa được giao địa bàn hoặc cơ quan nên chưa xem được hồ sơ nào. "
                "Hãy liên hệ quản trị hệ thống."
            ),
            "rows": [],
        }
    units = AdministrativeUnit.objects.current()
    agencies = Agency.objects.active()
    # The accounts the user may see (the list the figure opens), active ones only.
    users = User.objects.visible_to(user).filter(is_active=True)
    if path is not ALL_UNITS:
        units = units.filter(path__startswith=path)
        agencies = agencies.filter(unit__path__startswith=path)
    rows: list[dict[str, Any]] = []
    if user.role == Role.ADMIN or (user.unit and user.unit.kind == UnitKind.PROVINCE):
        rows.append({"label": _("Xã, phường, đặc khu"), "value": units.filter(kind=UnitKind.COMMUNE).count()})
    if user.role == Role.ADMIN:
        rows.append({"label": _("Tỉnh, thành phố"), "value": units.filter(kind=UnitKind.PROVINCE).count()})
    rows.append({"label": _("Cơ quan trong danh bạ"), "value": agencies.count()})
    if user.role in {Role.ADMIN, Role.PROVINCE_OFFICER}:
        rows.append({"label": _("Người dùng đang hoạt động"), "value": users.count(), "url": reverse("users")})
    where = _("Toàn quốc") if path is ALL_UNITS else str(user.unit)
    if user.agency_id:
        where = f"{user.agency} — {where}"
    return {"title": where, "text": user.get_role_display(), "rows": rows}
