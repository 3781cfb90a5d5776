"""Roles: functional names (domain.md §10.3), kept apart from the models so access rules can import them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ bảo vệ trẻ em cấp xã")
    COMMUNE_CHAIR = "commune_chair", _("Chủ tịch UBND xã")
    PROVINCE_OFFICER = "province_officer", _("Cán bộ cấp tỉnh")
    AGENCY_FOCAL_POINT = "agency_focal_point", _("Đầu mối cơ quan phối hợp")
    HOTLINE_OPERATOR = "hotline_operator", _("Tư vấn viên tổng đài")
    ADMIN = "admin", _("Quản trị hệ thống")
    # The ministry's child-protection department (Cục Bà mẹ và Trẻ em, Bộ Y tế, since 2025; domain.md §10.2):
    # the figures, directives and reports of every province, never a case file (reporting/access.py).
    NATIONAL_OFFICER = "national_officer", _("Cán bộ Cục Bà mẹ và Trẻ em (Bộ Y tế)")


# Roles that work the cases of their own jurisdiction.
CASE_WORKING_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR, Role.PROVINCE_OFFICER})
# Roles whose jurisdiction is one commune; and one province.
COMMUNE_ROLES = frozenset({Role.COMMUNE_OFFICER, Role.COMMUNE_CHAIR})
PROVINCE_ROLES = frozenset({Role.PROVINCE_OFFICER})
# Who may browse the audit log (each within their jurisdiction).
AUDIT_READER_ROLES = frozenset({Role.PROVINCE_OFFICER, Role.ADMIN})
# Roles that read statistics of the whole country but no record about a child: no unit, no case, no referral.
NATIONAL_ROLES = frozenset({Role.NATIONAL_OFFICER})
