"""Navigation by role: each role sees the entries of the work it does, nothing else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from childprotect.access import can_browse_audit_log, can_manage_users, is_active_user, jurisdiction_path
from childprotect.roles import CASE_WORKING_ROLES, Role

INTEGRATOR_ROLES = frozenset({Role.ADMIN, Role.PROVINCE_OFFICER, Role.HOTLINE_OPERATOR})
CASE_READER_ROLES = frozenset({*CASE_WORKING_ROLES, Role.HOTLINE_OPERATOR, Role.ADMIN})
CASE_RECORDER_ROLES = frozenset({*CASE_WORKING_ROLES, Role.HOTLINE_OPERATOR})
# Directive tracking: the province's officers follow the directives; agencies and communes act on their tasks.
# The national role follows every province's directives, read only.
DIRECTIVE_OFFICER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.ADMIN, Role.NATIONAL_OFFICER})
DIRECTIVE_LEAD_ROLES = frozenset({Role.AGENCY_FOCAL_POINT, Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR})
REPORT_READER_ROLES = frozenset({*CASE_WORKING_ROLES, Role.ADMIN, Role.NATIONAL_OFFICER})

# (url name, label, who sees it, short label). Entries whose URL is not installed yet are skipped, so an app adds
# its pages by adding its url names here, not by editing templates. The short label is what a laptop's one-row menu
# shows (the full label stays the link's accessible name, and the phone menu shows it): it must be part of the full
# label (WCAG 2.5.3). Notifications are not listed: the bell in the header is their one entry.
NAV_ENTRIES: list[tuple[str, Any, str, Any]] = [
    ("home", _("Trang chủ"), "everyone", None),
    ("cases:list", _("Hồ sơ vụ việc"), "case_readers", None),
    ("cases:intake", _("Tiếp nhận vụ việc"), "case_recorders", _("Tiếp nhận")),
    ("cases:referral-list", _("Hộp chuyển gửi"), "focal_points", None),
    ("cases:referral-list", _("Chuyển gửi liên ngành"), "case_readers", _("Chuyển gửi")),
    ("cases:transfer-list", _("Chuyển hồ sơ giữa các xã"), "case_workers", _("Chuyển hồ sơ")),
    ("directives:list", _("Văn bản chỉ đạo"), "directive_officers", None),
    ("directives:board", _("Theo dõi thực hiện"), "directive_officers", _("Theo dõi")),
    ("directives:my-tasks", _("Nhiệm vụ được giao"), "directive_leads", None),
    ("reporting:dashboard", _("Thống kê"), "report_readers", None),
    ("reporting:archive", _("Báo cáo định kỳ"), "report_readers", _("Báo cáo")),
    ("users", _("Người dùng"), "user_managers", None),
    ("audit-log", _("Nhật ký truy cập"), "audit_readers", _("Nhật ký")),
    ("api-docs", _("API"), "integrators", None),
]


def _allowed(request: HttpRequest, audience: str) -> bool:
    user = request.user
    if audience == "everyone":
        return True
    if not is_active_user(user):
        return False
    if audience == "audit_readers":
        return can_browse_audit_log(user)
    if audience == "case_readers":
        return user.role in CASE_READER_ROLES
    if audience == "case_recorders":
        return user.role in CASE_RECORDER_ROLES
    if audience == "focal_points":
        return user.role == Role.AGENCY_FOCAL_POINT
    if audience == "case_workers":
        return user.role in {*CASE_WORKING_ROLES, Role.ADMIN}
    if audience == "directive_officers":
        return user.role in DIRECTIVE_OFFICER_ROLES
    if audience == "directive_leads":
        return user.role in DIRECTIVE_LEAD_ROLES
    if audience == "report_readers":
        # Case-working roles with a jurisdiction, admins and the national role (reporting/access.py
        # can_use_reporting).
        return bool(
            user.role in REPORT_READER_ROLES
            and (user.role in {Role.ADMIN, Role.NATIONAL_OFFICER} or jurisdiction_path(user) is not None)
        )
    if audience == "integrators":
        return user.role in INTEGRATOR_ROLES
    if audience == "user_managers":
        return can_manage_users(user) or can_browse_audit_log(user)
    return False


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_entries": []}
    entries = []
    for url_name, label, audience, short in NAV_ENTRIES:
        if not _allowed(request, audience):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        entries.append({"url": url, "label": label, "short": short or "", "active": request.path == url})
    return {"nav_entries": entries}
