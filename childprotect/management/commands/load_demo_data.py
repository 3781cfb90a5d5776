"""python manage.py load_demo_data — demo agencies and one account per role, for `make run` (idempotent).

Refuses to run with DEBUG off unless --allow-production is given: demo accounts with a published password
must never appear on a real server by accident.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user

DEMO_PASSWORD = "demo-Matkhau-2025"  # noqa: S105 (published on purpose: development only)
DEMO_PROVINCE = "19"  # Thái Nguyên
OTHER_PROVINCE = "01"  # Hà Nội: a second province, to show what an outsider cannot see


class Command(BaseCommand):
    help = "Load demo agencies and users (one per role) for a development machine."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--allow-production", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Demo data is for development (DJANGO_DEBUG=1). Use --allow-production to force.")
        province = self._unit(DEMO_PROVINCE)
        communes = list(
            AdministrativeUnit.objects.current().filter(parent=province, kind=UnitKind.COMMUNE).order_by("code")[:2]
        )
        if len(communes) < 2:
            raise CommandError(f"Province {DEMO_PROVINCE} has no communes loaded: run load_admin_units first.")
        home_commune, other_commune = communes
        with transaction.atomic():
            police = self._agency(f"CA-{DEMO_PROVINCE}", f"Công an tỉnh {province.name}", "police", province)
            self._agency(f"SYT-{DEMO_PROVINCE}", f"Sở Y tế tỉnh {province.name}", "child_protection", province)
            self._agency(
                f"SGDDT-{DEMO_PROVINCE}",
                f"Sở Giáo dục và Đào tạo tỉnh {province.name}",
                "education",
                province,
            )
            self._agency(
                f"TGPL-{DEMO_PROVINCE}",
                f"Trung tâm Trợ giúp pháp lý nhà nước tỉnh {province.name}",
                "justice",
                province,
            )
            self._agency(
                f"BTXH-{DEMO_PROVINCE}",
                f"Cơ sở Bảo trợ xã hội tỉnh {province.name}",
                "social_facility",
                province,
            )
            self._agency(f"CAX-{home_commune.code}", f"Công an {home_commune.full_name}", "police", home_commune)
            self._agency(f"TYT-{home_commune.code}", f"Trạm Y tế {home_commune.full_name}", "health", home_commune)
            accounts = [
                ("demo_xa", Role.COMMUNE_OFFICER, home_commune, None),
                ("demo_chutich", Role.COMMUNE_CHAIR, home_commune, None),
                ("demo_xa2", Role.COMMUNE_OFFICER, other_commune, None),
                ("demo_tinh", Role.PROVINCE_OFFICER, province, None),
                ("demo_congan", Role.AGENCY_FOCAL_POINT, None, police),
                ("demo_111", Role.HOTLINE_OPERATOR, None, None),
                ("demo_admin", Role.ADMIN, None, None),
                ("demo_bo", Role.NATIONAL_OFFICER, None, None),
            ]
            other = AdministrativeUnit.objects.current().filter(code=OTHER_PROVINCE, kind=UnitKind.PROVINCE).first()
            if other is not None:
                accounts.append(("demo_tinh_hanoi", Role.PROVINCE_OFFICER, other, None))
            created = [self._user(*account) for account in accounts]
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in created:
            where = user.agency or user.unit or "—"
            second = (
                " [+ mã TOTP: lần đầu đăng nhập sẽ đăng ký ứng dụng xác thực]" if user.requires_second_factor else ""
            )
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()} — {where}{second}")

    def _unit(self, code: str) -> AdministrativeUnit:
        unit = AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, code=code, kind=UnitKind.PROVINCE).first()
        if unit is None:
            raise CommandError(f"Province {code} is not loaded: run load_admin_units first.")
        return unit

    def _agency(self, code: str, name: str, sector: str, unit: AdministrativeUnit) -> Agency:
        existing = Agency.objects.filter(code=code).first()
        return existing or do_create_agency(acting_user=None, code=code, name=name, sector=sector, unit=unit)

    def _user(self, username: str, role: str, unit: AdministrativeUnit | None, agency: Agency | None) -> User:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            return existing
        return do_create_user(
            acting_user=None,
            username=username,
            role=role,
            unit=unit,
            agency=agency,
            password=DEMO_PASSWORD,
            email=f"{username}@example.invalid",
        )
