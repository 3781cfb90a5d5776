"""The load scenario of `make load` (scripts/devstack.py load): the realistic mix of a province's working day.

Three kinds of users, in the proportions a province has them, each logging in once through the real login page
(province officers through their TOTP second factor too), then working with a pause of a few seconds between
actions (LOAD_WAIT_MIN..LOAD_WAIT_MAX, default 5..15 s: people read the page they opened, fill in forms). The
figures are those after a warm-up (LOAD_WARMUP, default 60 s) in which everybody logs in:
- commune officers: their case list (with and without filters), a name search, a case page, the intake page and
  an intake through the API, the referrals they sent, the same list and detail through the API;
- province officers: the dashboard (page and API), the province's case list and search, a case page;
- the police focal point: the referral inbox, a referral, the same through the API.
Every answer other than the expected status counts as an error. The accounts and ids come from the JSON file that
`manage.py prepare_load_test` wrote (LOAD_ACCOUNTS).
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import re

import gevent
from django_otp.oath import TOTP
from locust import HttpUser, between, events, task

ACCOUNTS = json.loads(open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8").read())
WAIT = between(float(os.environ.get("LOAD_WAIT_MIN", "5")), float(os.environ.get("LOAD_WAIT_MAX", "15")))
SEARCHES = ["Nguyễn", "Trần Thị", "Lê Văn", "Hương", "Minh", "Phạm Thị Lan", "Hoàng"]
_province_accounts = itertools.cycle(ACCOUNTS["province"])
_commune_accounts = itertools.cycle(ACCOUNTS["commune"])
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The figures count from LOAD_WARMUP seconds after the start (default 60): by then everyone has logged in (a login
# is a deliberately slow password hash) and the day's work is under way.
WARMUP = float(os.environ.get("LOAD_WARMUP") or "60")


@events.test_start.add_listener
def _reset_after_warmup(environment, **_kwargs) -> None:
    gevent.spawn_later(WARMUP, environment.stats.reset_all)


class _Person(HttpUser):
    abstract = True
    wait_time = WAIT
    account: dict

    def login(self) -> None:
        page = self.client.get("/login/", name="login page")
        token = CSRF.search(page.text)
        form = {"username": self.account["username"], "password": self.account["password"]}
        form["csrfmiddlewaretoken"] = token.group(1) if token else ""
        with self.client.post("/login/", form, name="login", allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def page(self, url: str, name: str) -> None:
        self.client.get(url, name=name)

    def api(self, url: str, name: str) -> None:
        self.client.get(url, name=name, headers={"Authorization": f"Token {self.account['token']}"})


class CommuneOfficer(_Person):
    weight = 6

    def on_start(self) -> None:
        self.account = next(_commune_accounts)
        self.login()

    @task(4)
    def case_list(self) -> None:
        self.page("/cases/", "HTML case list")

    @task(2)
    def case_list_filtered(self) -> None:
        self.page("/cases/?open=true&kind=abuse", "HTML case list, filtered")

    @task(3)
    def search(self) -> None:
        self.page(f"/cases/?q={random.choice(SEARCHES)}", "HTML case search")

    @task(4)
    def case_detail(self) -> None:
        self.page(f"/cases/{random.choice(self.account['cases'])}/", "HTML case detail")

    @task(1)
    def intake_page(self) -> None:
        self.page("/cases/new/", "HTML intake page")

    @task(1)
    def intake(self) -> None:
        today = datetime.date.today()
        body = {
            "child": {
                "full_name": f"Tải Thử {random.choice(['Hương', 'Minh', 'Lan', 'Nam'])}",
                "date_of_birth": (today - datetime.timedelta(days=365 * random.randint(2, 15))).isoformat(),
                "sex": random.choice(["female", "male"]),
                "commune": self.account["commune"],
            },
            "kind": "abuse",
            "abuse_forms": ["violence"],
            "setting": "family",
            "received_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "incident_commune": self.account["commune"],
            "reporter": {"channel": "hotline_111"},
            "summary": "Dữ liệu tải thử.",
        }
        with self.client.post(
            "/api/v1/cases/",
            json=body,
            name="API intake",
            headers={"Authorization": f"Token {self.account['token']}"},
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"intake answered {response.status_code}: {response.text[:200]}")

    @task(1)
    def referrals_sent(self) -> None:
        self.page("/cases/referrals/", "HTML referral list")

    @task(2)
    def api_case_list(self) -> None:
        self.api("/api/v1/cases/", "API case list")

    @task(2)
    def api_case_detail(self) -> None:
        self.api(f"/api/v1/cases/{random.choice(self.account['cases'])}/", "API case detail")

    @task(1)
    def home(self) -> None:
        self.page("/", "HTML home")


class ProvinceOfficer(_Person):
    weight = 3

    def on_start(self) -> None:
        self.account = next(_province_accounts)
        self.login()
        page = self.client.get("/login/verify/", name="second factor page")
        token = CSRF.search(page.text)
        code = TOTP(bytes.fromhex(self.account["totp_key"])).token()
        form = {"otp_token": f"{code:06d}", "csrfmiddlewaretoken": token.group(1) if token else ""}
        with self.client.post(
            "/login/verify/", form, name="second factor", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"second factor answered {response.status_code}")

    @task(3)
    def dashboard(self) -> None:
        self.page("/reports/dashboard/", "HTML dashboard")

    @task(1)
    def api_dashboard(self) -> None:
        self.api("/api/v1/dashboard/", "API dashboard")

    @task(3)
    def case_list(self) -> None:
        self.page("/cases/", "HTML case list")

    @task(2)
    def search(self) -> None:
        self.page(f"/cases/?q={random.choice(SEARCHES)}", "HTML case search")

    @task(2)
    def case_detail(self) -> None:
        self.page(f"/cases/{random.choice(self.account['cases'])}/", "HTML case detail")

    @task(1)
    def api_case_list(self) -> None:
        self.api("/api/v1/cases/?open=true", "API case list")


class PoliceFocalPoint(_Person):
    weight = 1

    def on_start(self) -> None:
        self.account = ACCOUNTS["police"][0]
        self.login()

    @task(3)
    def inbox(self) -> None:
        self.page("/cases/referrals/", "HTML referral inbox")

    @task(3)
    def referral(self) -> None:
        self.page(f"/cases/referrals/{random.choice(self.account['referrals'])}/", "HTML referral detail")

    @task(2)
    def api_inbox(self) -> None:
        self.api("/api/v1/referrals/", "API referral inbox")

    @task(1)
    def api_referral(self) -> None:
        self.api(f"/api/v1/referrals/{random.choice(self.account['referrals'])}/", "API referral detail")
