"""python manage.py load_demo_data — the demo province of `make run`: accounts, agencies and two years of work.

Thái Nguyên (19): three communes with an officer and a chair each, the province officer, the focal points of the
police, education, health and legal aid, the 111 operator, an admin; one commune of Hà Nội (01) with its officer
and its province officer, to show what an outsider cannot see. Then the two years of work written through the
services (demo/generate.py) and the periodic reports of the past periods (reporting services, run here).

Idempotent: accounts and agencies are created once; the work is generated only if the demo province has no case
yet, the reports only if it has none. Refuses to run with DEBUG off unless --allow-production is given: demo
accounts with a published password must never appear on a real server by accident.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user

DEMO_PASSWORD = "demo-Matkhau-2025"  # noqa: S105 (published on purpose: development only)
DEMO_PROVINCE = "19"  # Thái Nguyên
OTHER_PROVINCE = "01"  # Hà Nội: a second province, to show what an outsider cannot see
DEFAULT_CASES = 240


class Command(BaseCommand):
    help = "Load the demo province (accounts, agencies, two years of cases, directives, reports) for development."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--allow-production", action="store_true")
        parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="cases recorded by the communes")
        parser.add_argument("--no-reports", action="store_true", help="skip the periodic reports (PDF rendering)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Demo data is for development (DJANGO_DEBUG=1). Use --allow-production to force.")
        province = self._unit(DEMO_PROVINCE)
        communes = list(
            AdministrativeUnit.objects.current().filter(parent=province, kind=UnitKind.COMMUNE).order_by("code")[:3]
        )
        if len(communes) < 3:
            raise CommandError(f"Province {DEMO_PROVINCE} has no communes loaded: run load_admin_units first.")
        other = AdministrativeUnit.objects.current().filter(code=OTHER_PROVINCE, kind=UnitKind.PROVINCE).first()
        other_commune = (
            AdministrativeUnit.objects.current().filter(parent=other, kind=UnitKind.COMMUNE).order_by("code").first()
            if other
            else None
        )
        if other is None or other_commune is None:
            raise CommandError(f"Province {OTHER_PROVINCE} is not loaded: run load_admin_units first.")
        home, second, third = communes
        from cases.models import Case  # the platform's command reads the case app's rule: imported when run

        with transaction.atomic():
            agencies = self._agencies(province, home)
            accounts = [
                ("demo_xa", Role.COMMUNE_OFFICER, home, None),
                ("demo_chutich", Role.COMMUNE_CHAIR, home, None),
                ("demo_xa2", Role.COMMUNE_OFFICER, second, None),
                ("demo_chutich2", Role.COMMUNE_CHAIR, second, None),
                ("demo_xa3", Role.COMMUNE_OFFICER, third, None),
                ("demo_chutich3", Role.COMMUNE_CHAIR, third, None),
                ("demo_tinh", Role.PROVINCE_OFFICER, province, None),
                ("demo_congan", Role.AGENCY_FOCAL_POINT, None, agencies["police"]),
                ("demo_giaoduc", Role.AGENCY_FOCAL_POINT, None, agencies["education"]),
                ("demo_yte", Role.AGENCY_FOCAL_POINT, None, agencies["health"]),
                ("demo_trogiup", Role.AGENCY_FOCAL_POINT, None, agencies["justice"]),
                ("demo_111", Role.HOTLINE_OPERATOR, None, None),
                ("demo_admin", Role.ADMIN, None, None),
                ("demo_bo", Role.NATIONAL_OFFICER, None, None),
                ("demo_tinh_hanoi", Role.PROVINCE_OFFICER, other, None),
                ("demo_xa_hanoi", Role.COMMUNE_OFFICER, other_commune, None),
            ]
            users = {account[0]: self._user(*account) for account in accounts}
        if Case.objects.visible_to(users["demo_admin"]).filter(province=province).exists():
            self.stdout.write("Demo work already loaded: nothing to add.")
        else:
            self._generate(users, agencies, province, home, second, third, other_commune, options["cases"])
        if not options["no_reports"]:
            self._reports(users["demo_tinh"], province)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for user in users.values():
            where = user.agency or user.unit or "—"
            second_factor = (
                " [+ mã TOTP: lần đầu đăng nhập sẽ đăng ký ứng dụng xác thực]" if user.requires_second_factor else ""
            )
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()} — {where}{second_factor}")

    def _generate(self, users: dict[str, User], agencies: dict[str, Agency], province: AdministrativeUnit,
                  *units: Any) -> None:  # fmt: skip
        from demo.generate import Commune, World, generate, run_sweeps

        home, second, third, other_commune, cases = units
        started = time.monotonic()
        world = World(
            province=province,
            communes=[
                Commune(home, users["demo_xa"], users["demo_chutich"], weight=5),
                Commune(second, users["demo_xa2"], users["demo_chutich2"], weight=3),
                Commune(third, users["demo_xa3"], users["demo_chutich3"], weight=2),
            ],
            outside=Commune(other_commune, users["demo_xa_hanoi"], None, weight=0),
            province_officer=users["demo_tinh"],
            hotline=users["demo_111"],
            agencies=agencies,
            focal_points={
                "police": users["demo_congan"],
                "education": users["demo_giaoduc"],
                "health": users["demo_yte"],
                "justice": users["demo_trogiup"],
            },
            now=timezone.now(),
        )
        counts = generate(world, cases)
        run_sweeps(world.now)
        done = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
        self.stdout.write(f"Demo work generated in {time.monotonic() - started:.1f} s: {done}")

    def _reports(self, officer: User, province: AdministrativeUnit) -> None:
        """The province's 6-month and annual reports of the past periods, generated here; last year's annual
        report locked (submitted). Only if the province has none yet."""
        from reporting.models import ReportKind, ReportRun
        from reporting.services import do_lock_report, do_request_report, do_review_report, generate_report

        if ReportRun.objects.visible_to(officer).filter(unit=province).exists():
            return
        started = time.monotonic()
        year = timezone.localdate().year
        runs = []
        for kind, period_year in ((ReportKind.ANNUAL, year - 1), (ReportKind.SEMIANNUAL, year)):
            run = do_request_report(acting_user=officer, kind=kind, year=period_year, unit=province)
            generate_report(run.pk)
            run.refresh_from_db()
            runs.append(run)
        annual, semiannual = runs
        do_review_report(acting_user=officer, run=semiannual, note="Số liệu khớp với sổ theo dõi của các xã.")
        do_lock_report(acting_user=officer, run=annual)
        self.stdout.write(f"Demo reports generated in {time.monotonic() - started:.1f} s")

    def _agencies(self, province: AdministrativeUnit, home: AdministrativeUnit) -> dict[str, Agency]:
        name = province.name
        police = self._agency(f"CA-{province.code}", f"Công an tỉnh {name}", "police", province)
        child_protection = self._agency(f"SYT-{province.code}", f"Sở Y tế tỉnh {name}", "child_protection", province)
        education = self._agency(f"SGDDT-{province.code}", f"Sở Giáo dục và Đào tạo tỉnh {name}", "education", province)
        justice = self._agency(
            f"TGPL-{province.code}", f"Trung tâm Trợ giúp pháp lý nhà nước tỉnh {name}", "justice", province
        )
        health = self._agency(f"BVDK-{province.code}", f"Bệnh viện Đa khoa tỉnh {name} (mẫu)", "health", province)
        self._agency(f"BTXH-{province.code}", f"Cơ sở Bảo trợ xã hội tỉnh {name}", "social_facility", province)
        self._agency(f"CAX-{home.code}", f"Công an {home.full_name}", "police", home)
        self._agency(f"TYT-{home.code}", f"Trạm Y tế {home.full_name}", "health", home)
        return {
            "police": police,
            "education": education,
            "health": health,
            "justice": justice,
            "child_protection": child_protection,
        }

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
