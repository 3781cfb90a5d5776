"""The access matrix as people (healthchecks' Alice/Bob/Charlie habit), built through the real services.

Two provinces; two communes in the first, one in the second. Who should see what:
- officer_a1, chair_a1: commune A1 only.            - officer_a2: commune A2 only (outsider to A1).
- province_a: every commune of province A.          - province_b: province B only (outsider to A).
- police_a: agency focal point of the province-A police; sees only what is referred to it.
- hotline: the 111 operator; no jurisdiction of its own.
- nobody: a commune officer whose account has no unit: must see nothing at all.
- national: the ministry's department (Cục Bà mẹ và Trẻ em): every province's figures, directives and reports,
  never a case, a referral or a child's record.
- admin: everything.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.units import UnitCategory, UnitKind
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user

PASSWORD = "Mat-khau-thu-nghiem-2025"
REFORM_DAY = datetime.date(2025, 7, 1)


def make_unit(
    code: str, name: str, kind: str, category: str, parent: AdministrativeUnit | None = None
) -> AdministrativeUnit:
    prefix = {"tinh": "Tỉnh", "thanh_pho_tw": "Thành phố", "xa": "Xã", "phuong": "Phường"}[category]
    unit, _ = AdministrativeUnit.objects.get_or_create(
        scheme="qd19_2025",
        kind=kind,
        code=code,
        defaults={
            "name": name,
            "full_name": f"{prefix} {name}",
            "category": category,
            "parent": parent,
            "place_name": name,
            "valid_from": REFORM_DAY,
        },
    )
    return unit


@dataclass
class Personas:
    province_a: AdministrativeUnit
    commune_a1: AdministrativeUnit
    commune_a2: AdministrativeUnit
    province_b: AdministrativeUnit
    commune_b1: AdministrativeUnit
    police_agency_a: Agency
    officer_a1: User
    chair_a1: User
    officer_a2: User
    province_officer_a: User
    province_officer_b: User
    police_a: User
    hotline: User
    nobody: User
    national: User
    admin: User


def build_personas() -> Personas:
    province_a = make_unit("19", "Thái Nguyên", UnitKind.PROVINCE, UnitCategory.TINH)
    commune_a1 = make_unit("05713", "Phan Đình Phùng", UnitKind.COMMUNE, UnitCategory.PHUONG, province_a)
    commune_a2 = make_unit("05767", "Đại Phúc", UnitKind.COMMUNE, UnitCategory.XA, province_a)
    province_b = make_unit("01", "Hà Nội", UnitKind.PROVINCE, UnitCategory.THANH_PHO_TW)
    commune_b1 = make_unit("00004", "Ba Đình", UnitKind.COMMUNE, UnitCategory.PHUONG, province_b)
    police = do_create_agency(
        acting_user=None, code="CA-19", name="Công an tỉnh Thái Nguyên", sector="police", unit=province_a
    )

    def user(username: str, role: str, unit: AdministrativeUnit | None = None, agency: Agency | None = None) -> User:
        return do_create_user(
            acting_user=None,
            username=username,
            role=role,
            unit=unit,
            agency=agency,
            password=PASSWORD,
            email=f"{username}@example.invalid",
        )

    nobody = User.objects.create_user(username="nobody", password=PASSWORD, role=Role.COMMUNE_OFFICER)
    return Personas(
        province_a=province_a,
        commune_a1=commune_a1,
        commune_a2=commune_a2,
        province_b=province_b,
        commune_b1=commune_b1,
        police_agency_a=police,
        officer_a1=user("officer_a1", Role.COMMUNE_OFFICER, commune_a1),
        chair_a1=user("chair_a1", Role.COMMUNE_CHAIR, commune_a1),
        officer_a2=user("officer_a2", Role.COMMUNE_OFFICER, commune_a2),
        province_officer_a=user("province_a", Role.PROVINCE_OFFICER, province_a),
        province_officer_b=user("province_b", Role.PROVINCE_OFFICER, province_b),
        police_a=user("police_a", Role.AGENCY_FOCAL_POINT, agency=police),
        hotline=user("hotline", Role.HOTLINE_OPERATOR),
        nobody=nobody,
        national=user("national", Role.NATIONAL_OFFICER),
        admin=user("admin", Role.ADMIN),
    )
