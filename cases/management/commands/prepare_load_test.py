"""python manage.py prepare_load_test --accounts FILE [--cases 50000]   (make load calls it; never on a real server)

The data `make load` runs against, in its own database (childprotect_load): synthetic cases over every commune
(cases/bench/synthetic.py, COPY), and in one province the people who use them: commune officers of its busiest
communes, province officers (each with a TOTP device, since the role needs one), and the police focal point,
whose inbox gets referrals sent through the real service. Idempotent: a second run only refreshes the accounts
file (logins, a TOTP key per province officer, an API token per account, the case ids each one may open).

It refuses any database whose name does not end in "_load", so it can never add its published password to a
real one.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.db.models import Count
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from cases.bench import synthetic
from cases.models import Case, Referral
from cases.models.choices import OPEN_STATUSES
from cases.services.referrals import do_create_referral
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user

PROVINCE = "19"
COMMUNES = 5
OFFICERS_PER_COMMUNE = 4
PROVINCE_OFFICERS = 40  # one per simulated province user: a TOTP code is accepted once per account and window
REFERRALS = 150


class Command(BaseCommand):
    help = "Synthetic cases, accounts and referrals for make load (only in a database named *_load)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", required=True, help="JSON file written for the locust scenario")
        parser.add_argument("--cases", type=int, default=50_000)

    def handle(self, *args: Any, **options: Any) -> None:
        if not str(connection.settings_dict["NAME"]).endswith("_load"):
            raise CommandError("prepare_load_test writes published passwords: only into a database named *_load.")
        missing = options["cases"] - synthetic.case_count()
        if missing > 0:
            self.stdout.write(f"loading {missing} synthetic cases")
            synthetic.load(missing, seed=13)
        password = "Load-test-Matkhau-2025"  # noqa: S105 (a throwaway database on loopback)
        province = AdministrativeUnit.objects.get(scheme=CURRENT_SCHEME, kind=UnitKind.PROVINCE, code=PROVINCE)
        busiest = (
            Case.objects.filter(province=province)
            .values("commune")
            .annotate(count=Count("id"))
            .order_by("-count", "commune")
            .values_list("commune", flat=True)[:COMMUNES]
        )
        communes = list(AdministrativeUnit.objects.filter(pk__in=list(busiest)).order_by("code"))
        police = Agency.objects.filter(code=f"CA-{PROVINCE}").first() or do_create_agency(
            acting_user=None, code=f"CA-{PROVINCE}", name="Công an tỉnh (tải thử)", sector="police", unit=province
        )
        accounts: dict[str, list[dict[str, Any]]] = {"commune": [], "province": [], "police": []}
        for commune in communes:
            case_ids = list(
                Case.objects.filter(commune=commune).order_by("-received_at").values_list("pk", flat=True)[:200]
            )
            for n in range(OFFICERS_PER_COMMUNE):
                user = self._user(f"load_xa_{commune.code}_{n}", Role.COMMUNE_OFFICER, password, unit=commune)
                accounts["commune"].append({**self._login(user, password), "commune": commune.code, "cases": case_ids})
        province_cases = list(
            Case.objects.filter(province=province).order_by("-received_at").values_list("pk", flat=True)[:500]
        )
        for n in range(PROVINCE_OFFICERS):
            user = self._user(f"load_tinh_{n}", Role.PROVINCE_OFFICER, password, unit=province)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="load", confirmed=True
            )
            accounts["province"].append(
                {**self._login(user, password), "totp_key": device.key, "cases": province_cases}
            )
        focal = self._user("load_congan", Role.AGENCY_FOCAL_POINT, password, agency=police)
        self._referrals(communes, police)
        referral_ids = list(Referral.objects.filter(agency=police).values_list("pk", flat=True)[:200])
        accounts["police"].append({**self._login(focal, password), "referrals": referral_ids})
        Path(options["accounts"]).write_text(json.dumps(accounts, indent=1))
        self.stdout.write(
            f"accounts: {len(accounts['commune'])} commune, {len(accounts['province'])} province, 1 police; "
            f"{synthetic.case_count()} cases, {Referral.objects.filter(agency=police).count()} referrals to police"
        )

    def _user(self, username: str, role: str, password: str, **where: Any) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = do_create_user(acting_user=None, username=username, role=role, password=password, **where)
        return user

    def _login(self, user: User, password: str) -> dict[str, Any]:
        # A fresh token each run (the old ones are dropped): the scenario's API calls go through tokens.
        AuthToken.objects.filter(user=user).delete()
        _instance, token = AuthToken.objects.create(user=user)
        return {"username": user.username, "password": password, "token": token}

    def _referrals(self, communes: list[AdministrativeUnit], police: Agency) -> None:
        have = Referral.objects.filter(agency=police).count()
        per_commune = max((REFERRALS - have) // len(communes), 0)
        for commune in communes:
            officer = User.objects.get(username=f"load_xa_{commune.code}_0")
            open_cases = Case.objects.filter(commune=commune, status__in=OPEN_STATUSES).exclude(
                referrals__agency=police
            )[:per_commune]
            for case in open_cases:
                with transaction.atomic():
                    do_create_referral(
                        acting_user=officer,
                        case=case,
                        agency=police,
                        reason="Đề nghị phối hợp xác minh (dữ liệu tải thử).",
                        urgency=secrets.choice(["urgent", "normal"]),
                    )
