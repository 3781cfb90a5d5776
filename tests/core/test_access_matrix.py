"""The access matrix, generated from the URL configuration (issue 13): every page and API route × every persona.

Each route is classified in ROUTES. A route that is not fails the suite ("unclassified route: add it"), so a new
endpoint cannot ship without saying who may reach it. For a route on a record, the route's parameters are filled
with real records of two jurisdictions (province A's commune A1 and province B's commune B1, or the agency and
people they belong to), and for every persona:

- a record the persona may not open (the project's `visible_to` rule of that kind of record) answers 404, exactly
  like a record that does not exist — on GET, and on POST when the route takes only POST;
- a record the persona may open answers what the route answers its own users (200, 302 or 405 by default; the
  table names the exceptions and says why);
- anonymous: a page redirects to the login page, an endpoint answers 401.

Routes without a record (lists, dashboards, one's own settings) are checked for every persona to answer without a
server error, and anonymous to be refused. The admin site is one entry: only the admin persona gets past its login.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cases.models import Case, CaseTransfer, Referral
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case
from cases.services.referrals import do_create_referral
from cases.services.workflow import do_transfer_case
from childprotect.access import can_browse_audit_log
from childprotect.api_tokens import do_issue_api_token
from childprotect.models import AuditEvent, Notification, User
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user
from directives.models import Directive, DirectiveTask, TaskReport
from directives.recurrence import DeadlineRule
from directives.services.create import DirectiveInput, LeadChoice, TaskInput, do_create_directive
from directives.services.reports import do_report_task
from reporting.models import ReportRun
from reporting.services import do_request_report
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db

PERSONAS = (
    "officer_a1",
    "chair_a1",
    "officer_a2",
    "province_officer_a",
    "province_officer_b",
    "police_a",
    "hotline",
    "nobody",
    "admin",
)
OWN = frozenset({200, 302, 405})
LOGIN = "/login/"


@dataclass(frozen=True)
class Rule:
    """How one route is reached. `kind`: "public" (no login), "login" (logged in, no record), or the kind of
    record its parameters name (a key of WORLD_KINDS). `params` fills the route's other parameters from the
    record; `own` is what an opener of the record gets on GET."""

    kind: str
    params: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    own: frozenset[int] = OWN
    why: str = ""
    # The personas whose role takes this step. Another persona who may open the record but whose role does not
    # take the step gets 403, or 404 where the step is simply not offered to it; None: every opener takes it.
    doers: frozenset[str] | None = None


def pk(name: str = "pk") -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {name: obj.pk}


def case_and(**extra: Callable[[Any], Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda obj: {"pk": obj.pk, **{key: make(obj) for key, make in extra.items()}}


NO_FILE = frozenset({404})
COMMUNE = frozenset({"officer_a1", "chair_a1"})
CASE_WORKERS = COMMUNE | {"province_officer_a", "province_officer_b"}
PROVINCE = frozenset({"province_officer_a", "province_officer_b"})
MISSING = 999_999_999

ROUTES: dict[str, Rule] = {
    # --- Pages: the platform ---
    "": Rule("login"),
    "healthz": Rule("public"),
    "login/": Rule("public"),
    "logout/": Rule("public"),
    "login/verify/": Rule("public"),
    "login/setup-2fa/": Rule("public"),
    "password/change/": Rule("login"),
    "password/change/done/": Rule("login"),
    "account/tokens/": Rule("login"),
    "account/tokens/<str:token_id>/revoke/": Rule("token", lambda t: {"token_id": t.token_key}),
    "users/": Rule("login"),
    "users/<int:user_id>/": Rule("user", pk("user_id")),
    "audit/": Rule("login"),
    "audit/<int:event_id>/": Rule("audit_event", pk("event_id")),
    "notifications/": Rule("login"),
    "notifications/<int:notification_id>/read/": Rule("notification", pk("notification_id")),
    "notifications/read-all/": Rule("login"),
    "notifications/bell/": Rule("login"),
    "notifications/preferences/": Rule("login"),
    "i18n/setlang/": Rule("public"),
    # --- Pages: cases ---
    "cases/new/": Rule("login"),
    "cases/new/duplicates/": Rule("login"),
    "cases/new/communes/": Rule("login"),
    "cases/drafts/<int:case_id>/": Rule("draft", pk("case_id")),
    "cases/": Rule("login"),
    "cases/<int:pk>/": Rule("case", pk()),
    "cases/<int:pk>/notes/": Rule("case", pk(), doers=CASE_WORKERS),
    "cases/<int:pk>/attachments/": Rule("case", pk(), doers=CASE_WORKERS),
    "cases/<int:pk>/attachments/<int:attachment_id>/": Rule(
        "case",
        case_and(attachment_id=lambda c: MISSING),
        NO_FILE,
        "no attachment is built: the case opens, the file is missing",
    ),
    "cases/<int:pk>/correct/caregiver/new/": Rule("case", pk(), doers=COMMUNE),
    "cases/<int:pk>/correct/<slug:record>/<int:record_id>/": Rule(
        "case", case_and(record=lambda c: "child", record_id=lambda c: c.child_id), doers=COMMUNE
    ),
    "cases/<int:pk>/assign/": Rule("case", pk(), doers=CASE_WORKERS),
    "cases/<int:pk>/print/": Rule("case", pk()),
    "cases/<int:pk>/print/ho-so.pdf": Rule("case", pk()),
    "cases/<int:pk>/print/<slug:form>/<int:record_id>.pdf": Rule(
        "case", case_and(form=lambda c: "mau-01", record_id=lambda c: c.pk)
    ),
    "cases/<int:pk>/actions/<slug:action>/": Rule("case", case_and(action=lambda c: "initial-assessment")),
    "cases/<int:pk>/plan/": Rule("case", pk(), doers=COMMUNE),
    "cases/referrals/": Rule("login"),
    "cases/referrals/<int:referral_id>/": Rule("referral", pk("referral_id")),
    "cases/referrals/<int:referral_id>/<slug:answer>/": Rule(
        "referral", lambda r: {"referral_id": r.pk, "answer": "accept"}
    ),
    "cases/<int:pk>/referrals/new/": Rule("case", pk(), doers=COMMUNE),
    "cases/<int:pk>/referrals/agencies/": Rule("case", pk(), doers=COMMUNE),
    "cases/transfers/": Rule("login"),
    "cases/transfers/<int:transfer_id>/": Rule("transfer", pk("transfer_id")),
    "cases/transfers/<int:transfer_id>/accept/": Rule("transfer", pk("transfer_id")),
    "cases/transfers/<int:transfer_id>/decline/": Rule("transfer", pk("transfer_id")),
    "cases/transfers/<int:transfer_id>/cancel/": Rule("transfer", pk("transfer_id")),
    # --- Pages: directives ---
    "directives/": Rule("login"),
    "directives/new/": Rule("login"),
    "directives/new/check/": Rule("login"),
    "directives/<int:pk>/": Rule("directive", pk()),
    "directives/<int:pk>/edit/": Rule("directive", pk(), doers=PROVINCE),
    "directives/<int:pk>/signed-file/": Rule("directive", pk(), NO_FILE, "no signed file is attached"),
    "directives/<int:pk>/tasks/new/": Rule("directive", pk(), doers=PROVINCE),
    "directives/tasks/": Rule("login"),
    "directives/tasks/mine/": Rule("login"),
    "directives/tasks/<int:pk>/": Rule("task", pk()),
    "directives/tasks/<int:pk>/reports/": Rule("task", pk()),
    "directives/tasks/<int:pk>/reassign/": Rule("task", pk(), doers=PROVINCE),
    "directives/tasks/<int:pk>/redate/": Rule("task", pk(), doers=PROVINCE),
    "directives/tasks/<int:pk>/cancel/": Rule("task", pk(), doers=PROVINCE),
    "directives/reports/<int:report_id>/accept/": Rule("task_report", pk("report_id")),
    "directives/reports/<int:report_id>/return/": Rule("task_report", pk("report_id")),
    "directives/reports/<int:report_id>/attachment/": Rule(
        "task_report", pk("report_id"), NO_FILE, "the report has no attachment"
    ),
    "directives/board/": Rule("login"),
    # --- Pages: reports ---
    "reports/": Rule("login"),
    "reports/dashboard/": Rule("login"),
    "reports/generate/": Rule("login"),
    "reports/<int:pk>/": Rule("report_run", pk()),
    "reports/<int:pk>/review/": Rule("report_run", pk()),
    "reports/<int:pk>/lock/": Rule("report_run", pk()),
    "reports/<int:pk>/download/<slug:file_format>/": Rule(
        "report_run", case_and(file_format=lambda r: "pdf"), NO_FILE, "the run is pending: no file yet"
    ),
    # --- API ---
    "api/v1/": Rule("login"),
    "api/v1/auth/token/": Rule("public"),
    "api/v1/^auth/tokens/$": Rule("login"),
    "api/v1/^auth/tokens/(?P<token_id>[A-Za-z0-9]+)/$": Rule("token", lambda t: {"token_id": t.token_key}),
    "api/v1/directives/parse/": Rule("login"),
    "api/v1/directive-compliance/": Rule("login"),
    "api/v1/directives/<int:pk>/tasks/": Rule("directive", pk(), doers=PROVINCE),
    "api/v1/directive-tasks/<int:pk>/reassign/": Rule("task", pk(), doers=PROVINCE),
    "api/v1/directive-tasks/<int:pk>/redate/": Rule("task", pk(), doers=PROVINCE),
    "api/v1/directive-tasks/<int:pk>/cancel/": Rule("task", pk(), doers=PROVINCE),
    "api/v1/directive-tasks/<int:pk>/changes/": Rule("task", pk()),
    "api/v1/^directives/$": Rule("login"),
    "api/v1/^directives/(?P<pk>[0-9]+)/$": Rule("directive", pk()),
    "api/v1/^directive-tasks/$": Rule("login"),
    "api/v1/^directive-tasks/(?P<pk>[0-9]+)/$": Rule("task", pk()),
    "api/v1/^directive-tasks/(?P<pk>[0-9]+)/reports/$": Rule("task", pk()),
    "api/v1/^directive-reports/(?P<pk>[0-9]+)/$": Rule("task_report", pk()),
    "api/v1/^directive-reports/(?P<pk>[0-9]+)/accept/$": Rule("task_report", pk()),
    "api/v1/^directive-reports/(?P<pk>[0-9]+)/attachment/$": Rule(
        "task_report", pk(), NO_FILE, "the report has no attachment"
    ),
    "api/v1/^directive-reports/(?P<pk>[0-9]+)/return/$": Rule("task_report", pk()),
    "api/v1/cases/duplicates/": Rule("login"),
    "api/v1/^cases/$": Rule("login"),
    "api/v1/^cases/(?P<pk>[0-9]+)/$": Rule("case", pk()),
    "api/v1/^cases/(?P<pk>[0-9]+)/attachments/$": Rule("case", pk(), doers=CASE_WORKERS),
    "api/v1/^cases/(?P<pk>[0-9]+)/attachments/(?P<att_id>[0-9]+)/download/$": Rule(
        "case",
        case_and(att_id=lambda c: MISSING),
        NO_FILE,
        "no attachment is built: the case opens, the file is missing",
    ),
    "api/v1/^cases/(?P<pk>[0-9]+)/file/pdf/$": Rule("case", pk()),
    "api/v1/^cases/(?P<pk>[0-9]+)/forms/(?P<form>[a-z0-9-]+)/(?P<record_id>[0-9]+)/pdf/$": Rule(
        "case", case_and(form=lambda c: "mau-01", record_id=lambda c: c.pk)
    ),
    "api/v1/^cases/(?P<pk>[0-9]+)/forms/$": Rule("case", pk()),
    "api/v1/^cases/(?P<pk>[0-9]+)/notes/$": Rule("case", pk(), doers=CASE_WORKERS),
    "api/v1/^cases/(?P<pk>[0-9]+)/timeline/$": Rule("case", pk()),
    "api/v1/^referrals/$": Rule("login"),
    "api/v1/^referrals/(?P<pk>[0-9]+)/$": Rule("referral", pk()),
    "api/v1/^referrals/(?P<pk>[0-9]+)/accept/$": Rule("referral", pk()),
    "api/v1/^referrals/(?P<pk>[0-9]+)/complete/$": Rule("referral", pk()),
    "api/v1/^referrals/(?P<pk>[0-9]+)/decline/$": Rule("referral", pk()),
    "api/v1/^referrals/(?P<pk>[0-9]+)/progress/$": Rule("referral", pk()),
    "api/v1/^referrals/(?P<pk>[0-9]+)/withdraw/$": Rule("referral", pk()),
    "api/v1/^transfers/$": Rule("login"),
    "api/v1/^transfers/(?P<pk>[0-9]+)/$": Rule("transfer", pk()),
    "api/v1/^transfers/(?P<pk>[0-9]+)/accept/$": Rule("transfer", pk()),
    "api/v1/^transfers/(?P<pk>[0-9]+)/cancel/$": Rule("transfer", pk()),
    "api/v1/^transfers/(?P<pk>[0-9]+)/decline/$": Rule("transfer", pk()),
    "api/v1/cases/<int:case_id>/plan/": Rule("case", pk("case_id"), doers=COMMUNE),
    "api/v1/cases/<int:case_id>/corrections/": Rule("case", pk("case_id"), doers=CASE_WORKERS),
    "api/v1/cases/<int:case_id>/caregivers/": Rule("case", pk("case_id"), doers=CASE_WORKERS),
    "api/v1/cases/<int:case_id>/assignment/": Rule("case", pk("case_id"), doers=CASE_WORKERS),
    "api/v1/dashboard/": Rule("login"),
    "api/v1/^reports/$": Rule("login"),
    "api/v1/^reports/(?P<pk>[0-9]+)/$": Rule("report_run", pk()),
    "api/v1/^reports/(?P<pk>[0-9]+)/lock/$": Rule("report_run", pk()),
    "api/v1/^reports/(?P<pk>[0-9]+)/pdf/$": Rule("report_run", pk(), NO_FILE, "the run is pending: no file yet"),
    "api/v1/^reports/(?P<pk>[0-9]+)/review/$": Rule("report_run", pk()),
    "api/v1/^reports/(?P<pk>[0-9]+)/xlsx/$": Rule("report_run", pk(), NO_FILE, "the run is pending: no file yet"),
    "api/v1/^units/$": Rule("login"),
    "api/v1/^units/(?P<code>[^/.]+)/$": Rule("login", lambda obj: {"code": "05713"}),
    "api/v1/^agencies/$": Rule("login"),
    "api/v1/^agencies/(?P<code>[^/.]+)/$": Rule("login", lambda obj: {"code": "CA-19"}),
    "api/v1/^audit-events/$": Rule("login"),
    "api/v1/^audit-events/(?P<pk>[^/.]+)/$": Rule("audit_event", pk()),
    "api/v1/^notifications/$": Rule("login"),
    "api/v1/^notifications/preferences/$": Rule("login"),
    "api/v1/^notifications/read-all/$": Rule("login"),
    "api/v1/^notifications/(?P<pk>[^/.]+)/$": Rule("notification", pk()),
    "api/v1/^notifications/(?P<pk>[^/.]+)/read/$": Rule("notification", pk()),
    "api/schema/": Rule("public", why="the schema describes the API, the same for all: generated once, anonymously"),
    "api/docs/": Rule("public", why="the schema and its page describe the API; they hold no record"),
}
# Every step of the procedure has its own endpoint (cases/steps.py): all are routes on a case.
STEP_ROUTE = re.compile(r"^api/v1/cases/<int:case_id>/actions/[a-z-]+/$")
# The same view in another format (`.json`): reached and scoped exactly like the route it repeats.
FORMAT_SUFFIX = re.compile(r"\(\?P<format>|<drf_format_suffix:format>")


def routes() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    for route in walk(get_resolver().url_patterns, ""):
        if route.startswith(settings.ADMIN_URL) or FORMAT_SUFFIX.search(route):
            continue
        yield route


def rule_of(route: str) -> Rule | None:
    if STEP_ROUTE.match(route):
        return Rule("case", pk("case_id"))
    return ROUTES.get(route)


def url_of(route: str, values: dict[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        return str(values[match.group("name")])

    url = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, route)  # a regex route's groups first
    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, url)
    return "/" + url.replace("^", "").replace("$", "").replace("\\", "")


def test_every_route_is_classified():
    unclassified = [route for route in routes() if rule_of(route) is None]
    assert not unclassified, "unclassified route: add it to ROUTES in tests/core/test_access_matrix.py:\n" + "\n".join(
        unclassified
    )
    stale = set(ROUTES) - set(routes())
    assert not stale, f"ROUTES names routes that no longer exist: {sorted(stale)}"


# --- Two jurisdictions of records -----------------------------------------------------------------------------------


@dataclass
class World:
    objects: dict[str, list[Any]]  # kind → [record of jurisdiction A, record of jurisdiction B]


def _case(user: User, commune: Any, name: str, *, draft: bool = False) -> Case:
    return do_create_case(
        acting_user=user,
        child=ChildInput(full_name=name, commune=commune, age_years=10),
        case=CaseInput(
            kind="abuse", received_at=timezone.now() - datetime.timedelta(hours=1), abuse_forms=["violence"]
        ),
        reporter=ReporterInput(channel="phone", name="Người báo tin"),
        draft=draft,
    )


def build_world(p: Any) -> World:
    def user(username: str, role: str, **where: Any) -> User:
        return do_create_user(
            acting_user=None,
            username=username,
            role=role,
            password=PASSWORD,
            email=f"{username}@example.invalid",
            **where,
        )

    police_b = do_create_agency(
        acting_user=None, code="CA-01", name="Công an thành phố Hà Nội", sector="police", unit=p.province_b
    )
    police_b_fp = user("police_b", Role.AGENCY_FOCAL_POINT, agency=police_b)
    officer_b1 = user("officer_b1", Role.COMMUNE_OFFICER, unit=p.commune_b1)
    chair_b1 = user("chair_b1", Role.COMMUNE_CHAIR, unit=p.commune_b1)
    case_a, case_b = _case(p.officer_a1, p.commune_a1, "Trẻ Xã A"), _case(officer_b1, p.commune_b1, "Trẻ Xã B")
    draft_a, draft_b = (
        _case(p.officer_a1, p.commune_a1, "Nháp A", draft=True),
        _case(officer_b1, p.commune_b1, "Nháp B", draft=True),
    )
    referral_a = do_create_referral(
        acting_user=p.officer_a1, case=case_a, agency=p.police_agency_a, reason="Xác minh", urgency="normal"
    )
    referral_b = do_create_referral(
        acting_user=officer_b1, case=case_b, agency=police_b, reason="Xác minh", urgency="normal"
    )
    moving_a, moving_b = _case(p.officer_a1, p.commune_a1, "Chuyển A"), _case(officer_b1, p.commune_b1, "Chuyển B")
    transfer_a = do_transfer_case(
        acting_user=p.officer_a1,
        case=moving_a,
        expected_version=moving_a.version,
        to_commune=p.commune_a2,
        reason="Chuyển nơi ở",
    )
    # Province B's request goes to commune A2: the receiving side opens it, province A's others do not.
    transfer_b = do_transfer_case(
        acting_user=officer_b1,
        case=moving_b,
        expected_version=moving_b.version,
        to_commune=p.commune_a2,
        reason="Chuyển",
    )

    def directive(officer: User, agency: Any, number: str) -> Directive:
        task = TaskInput(
            text="Tổ chức thực hiện và báo cáo.", leads=[LeadChoice(agency=agency)], label="1", rule=DeadlineRule()
        )
        data = DirectiveInput(
            doc_type="cong_van", number=number, symbol="UBND-KGVX", issuer="ỦY BAN NHÂN DÂN", place="Tỉnh",
            issued_on=datetime.date(2025, 1, 10), subject="bảo vệ trẻ em", tasks=[task],
        )  # fmt: skip
        return do_create_directive(acting_user=officer, data=data)

    directive_a = directive(p.province_officer_a, p.police_agency_a, "101")
    directive_b = directive(p.province_officer_b, police_b, "202")
    task_a, task_b = directive_a.tasks.get(), directive_b.tasks.get()
    report_a = do_report_task(acting_user=p.police_a, task=task_a, text="Đã triển khai.")
    report_b = do_report_task(acting_user=police_b_fp, task=task_b, text="Đã triển khai.")
    run_a = do_request_report(acting_user=p.province_officer_a, kind="annual", year=2025, unit=p.province_a)
    run_b = do_request_report(acting_user=p.province_officer_b, kind="annual", year=2025, unit=p.province_b)
    token_a, _ = do_issue_api_token(acting_user=p.officer_a1)
    token_b, _ = do_issue_api_token(acting_user=officer_b1)
    audit_a = AuditEvent.objects.filter(unit_path__startswith=p.commune_a1.path).order_by("id").first()
    audit_b = AuditEvent.objects.filter(unit_path__startswith=p.commune_b1.path).order_by("id").first()
    notice_a = Notification.objects.filter(recipient=p.police_a).order_by("id").first()
    notice_b = Notification.objects.filter(recipient=police_b_fp).order_by("id").first()
    assert audit_a and audit_b and notice_a and notice_b
    del chair_b1
    return World(
        objects={
            "case": [case_a, case_b],
            "draft": [draft_a, draft_b],
            "referral": [referral_a, referral_b],
            "transfer": [transfer_a, transfer_b],
            "directive": [directive_a, directive_b],
            "task": [task_a, task_b],
            "task_report": [report_a, report_b],
            "report_run": [run_a, run_b],
            "token": [token_a, token_b],
            "user": [p.officer_a1, officer_b1],
            "audit_event": [audit_a, audit_b],
            "notification": [notice_a, notice_b],
        }
    )


# Who may open a record of each kind: the project's own access rule for it (`visible_to`), never restated here.
WORLD_KINDS: dict[str, Callable[[User, Any], bool]] = {
    "case": lambda u, o: Case.objects.visible_to(u).filter(pk=o.pk).exists(),
    "draft": lambda u, o: Case.objects.visible_to(u).filter(pk=o.pk).exists(),
    "referral": lambda u, o: Referral.objects.visible_to(u).filter(pk=o.pk).exists(),
    "transfer": lambda u, o: CaseTransfer.objects.visible_to(u).filter(pk=o.pk).exists(),
    "directive": lambda u, o: Directive.objects.visible_to(u).filter(pk=o.pk).exists(),
    "task": lambda u, o: DirectiveTask.objects.visible_to(u).filter(pk=o.pk).exists(),
    "task_report": lambda u, o: TaskReport.objects.visible_to(u).filter(pk=o.pk).exists(),
    "report_run": lambda u, o: ReportRun.objects.visible_to(u).filter(pk=o.pk).exists(),
    "token": lambda u, o: o.user_id == u.pk,
    "user": lambda u, o: User.objects.visible_to(u).filter(pk=o.pk).exists(),
    "audit_event": lambda u, o: can_browse_audit_log(u) and AuditEvent.objects.visible_to(u).filter(pk=o.pk).exists(),
    "notification": lambda u, o: o.recipient_id == u.pk,
}


class _NoPdf:
    """WeasyPrint's HTML, minus the printing: who may print is decided before; the matrix need not wait for it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def write_pdf(self, *args: Any, **kwargs: Any) -> bytes:
        return b"%PDF-1.7 (not rendered in the access matrix)"


def refused_anonymously(answer: Any, api: bool) -> bool:
    """An endpoint answers 401 (403 for a session-only one); a page sends to the login page. Also refusals that do
    not depend on who asks: 405 for a method the route never takes, 286 (htmx's "stop polling") for the bell."""
    if answer.status_code in {405, 286}:
        return True
    if api:
        return answer.status_code in {401, 403}
    return answer.status_code == 302 and LOGIN in answer.get("Location", "")


TWIN_KEEPS = frozenset({"action", "form", "record", "answer", "file_format"})


def missing_twin(values: dict[str, Any]) -> dict[str, Any]:
    """The same parameters, naming records that do not exist."""
    return {
        key: value if key in TWIN_KEEPS else MISSING if isinstance(value, int) else "missing"
        for key, value in values.items()
    }


def test_the_matrix(personas, client_for, capsys, monkeypatch):
    monkeypatch.setattr("weasyprint.HTML", _NoPdf)
    started, cpu_started = time.monotonic(), time.process_time()
    world = build_world(personas)
    # The spec in one line per kind: jurisdiction A's case is opened by A's case workers and the admin only.
    openers = {name for name in PERSONAS if WORLD_KINDS["case"](getattr(personas, name), world.objects["case"][0])}
    assert openers == {"officer_a1", "chair_a1", "province_officer_a", "admin"}
    clients = {name: client_for(getattr(personas, name)) for name in PERSONAS}
    # For each kind and persona: which records to check and whether the persona may open each (decided once, by
    # the kind's rule). One record it may open and one it may not suffice: a second alike adds nothing.
    opened: dict[str, dict[str, dict[int, bool]]] = {}
    for kind, records in world.objects.items():
        opened[kind] = {}
        for name in PERSONAS:
            chosen: dict[int, bool] = {}
            for record in records:
                opens = WORLD_KINDS[kind](getattr(personas, name), record)
                if opens not in chosen.values():
                    chosen[id(record)] = opens
            opened[kind][name] = chosen
    anonymous = Client()
    failures: list[str] = []
    checked = requests = 0
    all_routes = list(routes())
    for route in all_routes:
        rule = rule_of(route)
        assert rule is not None
        api = route.startswith("api/")
        if rule.kind in {"public", "login"}:
            url = url_of(route, rule.params(None))
            answer = anonymous.get(url)
            requests += 1
            if rule.kind == "login":
                if not refused_anonymously(answer, api):
                    failures.append(f"anonymous GET {url}: {answer.status_code}, expected a refusal")
            for name, client in clients.items() if route != "api/schema/" else ():
                status = client.get(url).status_code
                requests += 1
                checked += 1
                if status >= 500:
                    failures.append(f"{name} GET {url}: {status}")
            continue
        for record in world.objects[rule.kind]:
            url = url_of(route, rule.params(record))
            if record is world.objects[rule.kind][0]:  # anonymous: once per route
                answer = anonymous.get(url)
                requests += 1
                if not refused_anonymously(answer, api):
                    failures.append(f"anonymous GET {url}: {answer.status_code}")
            for name, client in clients.items():
                opens = opened[rule.kind][name].get(id(record))
                if opens is None:
                    continue  # this persona's answer is already checked on a record it relates to the same way
                status = client.get(url).status_code
                requests += 1
                checked += 1
                if opens:
                    doer = rule.doers is None or name in rule.doers
                    if status not in (rule.own if doer else rule.own | {403, 404}):
                        failures.append(f"{name} (may open) GET {url}: {status}, expected {sorted(rule.own)}")
                    continue
                method = client.get
                if status == 405:  # the route takes only POST: POST it, with nothing in the body
                    method = client.post
                    status = method(url).status_code
                    requests += 1
                if status == 404:
                    continue
                # Not 404: acceptable only if a record that does not exist gets the very same answer (a refusal
                # of the role, before any record is looked at, tells nothing about the record).
                twin = url_of(route, missing_twin(rule.params(record)))
                requests += 1
                if method(twin).status_code != status:
                    failures.append(f"{name} (may not open) {url}: {status}, but {method(twin).status_code} if missing")
    # The admin site: one entry, only the admin persona past its login page.
    for name, client in clients.items():
        status = client.get(f"/{settings.ADMIN_URL}").status_code
        requests += 1
        checked += 1
        if (status == 200) != (name == "admin"):
            failures.append(f"{name} GET /{settings.ADMIN_URL}: {status}")
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(all_routes)} routes × {len(PERSONAS)} personas (+ anonymous): "
            f"{checked} persona checks, {requests} requests, {elapsed:.1f} s ({cpu:.1f} s of this process's CPU)"
        )
    assert not failures, f"{len(failures)} access-matrix failures:\n" + "\n".join(failures)
    # Bounded by the work it does, not by the machine's other load: this process's CPU time (the wall time, printed
    # above, is about twice that on an idle two-core machine, with PostgreSQL's share).
    assert cpu < 90, f"the matrix took {cpu:.0f} s of CPU: keep it under 90 s"
