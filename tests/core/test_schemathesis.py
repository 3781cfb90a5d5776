"""The API is what its schema says: schemathesis (a tool nobody here wrote) runs every operation of the OpenAPI
schema against the app, with real records behind every path parameter and with the tokens of several personas,
through all its phases (the schema's examples, boundary and negative values, random data, and stateful sequences
along the links it infers), and every check it has: no server error, and every answer's status, content type,
headers and body as documented; wrong input refused. Bounded to fit CI (a couple of minutes).

The app is called in process (WSGI) from schemathesis's own threads, so the records are committed
(`transactional_db`) and the database is emptied afterwards. The coverage phase runs as the first persona only
(the long one: some 4,000 requests); `SCHEMATHESIS_PERSONAS=police_a` runs one persona, for a quick look.
What it measured when it was written: 89 of 89 operations, about 6,100 requests, 0 server errors, 0
conformance failures, about two minutes on a loaded 2-core machine.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
from collections import Counter
from typing import Any
from unittest import mock

import pytest
import schemathesis
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.wsgi import get_wsgi_application
from django.db import connection, connections
from django.db.models.fields import AutoFieldMixin
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from schemathesis import GenerationMode
from schemathesis.engine import events
from schemathesis.hooks import GLOBAL_HOOK_DISPATCHER
from schemathesis.transport.wsgi import WSGITransport

from cases.services import workflow as wf
from cases.services.files import do_add_attachment
from childprotect.api_tokens import do_issue_api_token
from childprotect.models import AuditEvent, Notification
from directives.services.create import LeadChoice
from directives.services.reports import do_report_task
from reporting.services import do_request_report
from tests.cases.conftest import make_full_case, refer
from tests.directives.conftest import build_departments, dated, make_directive, task_input
from tests.personas import Personas, build_personas

# Per persona: examples per operation and phase. 89 operations × 4 personas stay within a couple of minutes.
MAX_EXAMPLES = 4
STATEFUL_STEPS = 6
SEED = 13
PERSONAS = [name for name in os.environ.get("SCHEMATHESIS_PERSONAS", "").split(",") if name]

# A tiny PDF: what the attachment endpoints accept.
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def build_world(p: Personas) -> dict[str, Any]:
    """One record of every kind the API names in a path, reachable by province A's people: a case through the
    whole procedure (with its forms, plan and an attachment), a referral to the police, a transfer request, a
    directive with a task and a report on it, a periodic report, notifications, tokens and audit events. Their
    ids start at 1001, so that no id schemathesis makes up (0, 1, …) names a real record by chance."""
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if isinstance(model._meta.pk, AutoFieldMixin):
                sequence = [model._meta.db_table, model._meta.pk.column]
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), 1000)", sequence)
    case = make_full_case(p, until="review")
    referral = refer(p, case)
    moving = make_full_case(p, until="received")
    moving.refresh_from_db()
    transfer = wf.do_transfer_case(
        acting_user=p.officer_a1,
        case=moving,
        expected_version=moving.version,
        to_commune=p.commune_a2,
        reason="Gia đình chuyển nơi ở",
    )
    attachment = do_add_attachment(
        acting_user=p.officer_a1, case=case, uploaded=SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")
    )
    dept = build_departments(p)
    today = timezone.localdate()
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), rule=dated(today + datetime.timedelta(days=30))),
        issued_on=today - datetime.timedelta(days=3),
        today=today,
    )
    task = directive.tasks.get()
    report = do_report_task(acting_user=dept.education_fp, task=task, text="Đã tổ chức tập huấn cho giáo viên.")
    with mock.patch("reporting.tasks.generate_report_task.delay"):
        run = do_request_report(acting_user=p.province_officer_a, kind="annual", year=today.year - 1, unit=p.province_a)
    notification = Notification.objects.filter(recipient=p.police_a).first()
    audit_event = AuditEvent.objects.order_by("pk").last()
    return {
        "case": case,
        "referral": referral,
        "transfer": transfer,
        "attachment": attachment,
        "directive": directive,
        "task": task,
        "report": report,
        "run": run,
        "notification": notification,
        "audit_event": audit_event,
        "dept": dept,
    }


def path_values(world: dict[str, Any], forms: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    """A real record behind every path parameter, by the path's beginning."""
    printable = next(row for row in forms if row["record_id"] is not None)
    case_id = world["case"].pk
    return [
        (
            "/api/v1/cases/{id}/",
            {
                "id": case_id,
                "att_id": world["attachment"].pk,
                "form": printable["form"],
                "record_id": printable["record_id"],
            },
        ),
        ("/api/v1/cases/{case_id}/", {"case_id": case_id}),
        ("/api/v1/referrals/", {"id": world["referral"].pk}),
        ("/api/v1/transfers/", {"id": world["transfer"].pk}),
        ("/api/v1/directives/", {"id": world["directive"].pk}),
        ("/api/v1/directive-tasks/", {"id": world["task"].pk}),
        ("/api/v1/directive-reports/", {"id": world["report"].pk}),
        ("/api/v1/reports/", {"id": world["run"].pk}),
        ("/api/v1/notifications/", {"id": world["notification"].pk}),
        ("/api/v1/units/", {"code": world["case"].commune.code}),
        ("/api/v1/agencies/", {"code": world["referral"].agency.code}),
        ("/api/v1/audit-events/", {"id": world["audit_event"].pk}),
    ]


def real_ids_hook(values: list[tuple[str, dict[str, Any]]]) -> Any:
    """Schemathesis's `before_call` hook: a path parameter it generated as valid names a real record, so that the
    operation gets past 404. Values it generated to be invalid (`/cases/abc/`) are left alone, and so are those
    of the stateful phase, which come from the answers of earlier calls (its links)."""

    def before_call(context: Any, case: Any, kwargs: Any) -> None:
        meta = case.meta
        if not case.path_parameters or meta is None or meta.phase.name == "stateful":
            return
        if meta.generation.mode != GenerationMode.POSITIVE:
            return
        for prefix, real in values:
            if case.path.startswith(prefix):
                # Strings, as generated: several ids are documented as digit strings (`pattern: ^[0-9]+$`), and
                # an int there would make schemathesis re-classify the request as invalid.
                ours = {name: str(value) for name, value in real.items() if name in case.path_parameters}
                case.path_parameters = {**case.path_parameters, **ours}
                return

    return before_call


def run_schemathesis(raw_schema: dict[str, Any], app: Any, token: str, *, coverage: bool) -> dict[str, Any]:
    """One run of every phase as one persona. The coverage phase (boundary and invalid values of every
    parameter, unexpected methods) is the long one: it runs for the first persona only."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "cache": {"enabled": False},
            "workers": 1,
            "headers": {"Authorization": f"Token {token}"},
            "generation": {"max-examples": MAX_EXAMPLES, "no-shrink": True},
            # Ids come from our `before_call` hook and, in the stateful phase, from the links; not from
            # schemathesis's pool of values seen in answers, which also fills the path of a case meant to be
            # invalid (its invalid value replaced by a real id, the request then reported as wrongly accepted).
            "phases": {
                "examples": {"extra-data-sources": {"responses": False}},
                "fuzzing": {"extra-data-sources": {"responses": False}},
                "coverage": {
                    "extra-data-sources": {"responses": False},
                    "enabled": coverage,
                    "generation": {"mode": "negative"},
                    "generate-duplicate-query-parameters": False,
                    "unexpected-methods": ["PATCH"],
                },
                "stateful": {"max-steps": STATEFUL_STEPS},
            },
            "checks": {
                # A request the schema allows may still break a rule the schema cannot say (a date of birth
                # after the report, a step the case's state does not allow): a 400 or 409 in the error shape.
                "positive_data_acceptance": {"expected-statuses": ["2xx", 400, 401, 403, 404, 409, 429]},
            },
        }
    )
    schema = schemathesis.openapi.from_dict(raw_schema, config=config)
    schema.app = app
    tested: set[str] = set()
    requests = 0
    failures: list[str] = []
    errors: list[str] = []
    phases: Counter[str] = Counter()
    seconds: Counter[str] = Counter()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished | events.FuzzScenarioFinished):
            recorder = event.recorder
            requests += len(recorder.interactions)
            phases[str(event.phase)] += len(recorder.interactions)
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    seconds[recorder.label] += interaction.response.elapsed
            for case_id, checks in recorder.checks.items():
                node = recorder.cases[case_id].value
                tested.add(f"{node.method.upper()} {node.path}")  # unexpected methods too: counted apart
                for check in checks:
                    if check.failure_info is not None:
                        failure = check.failure_info.failure
                        failures.append(
                            f"{check.name}: {node.method.upper()} {node.formatted_path} "
                            f"{node.query} → {failure.title}: {failure.message}"[:600]
                        )
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.message}"[:600])
        elif isinstance(event, events.FatalError):
            raise event.exception
    print(f"  {dict(phases)}; slowest: {[(k, round(v)) for k, v in seconds.most_common(6)]}")
    return {"operations": tested, "requests": requests, "failures": failures, "errors": errors}


class InProcessApp:
    """The Django WSGI app as schemathesis calls it, from its own threads: each thread's database connection is
    noted, to be closed at the end (the test database cannot be dropped while one is open)."""

    def __init__(self) -> None:
        self.django = get_wsgi_application()
        self.connections: dict[int, Any] = {}

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            return self.django(environ, start_response)
        finally:
            self.connections[threading.get_ident()] = connections["default"]

    def close(self) -> None:
        for thread_connection in self.connections.values():
            thread_connection.inc_thread_sharing()
            thread_connection.close()
        # And any session a finished thread left behind, so that the test database can be dropped.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _in_process(send: Any) -> Any:
    """Schemathesis 4.32's engine hands the WSGI transport the socket settings of a network session
    (`max_redirects`, …), which Werkzeug's test client does not take: they mean nothing in process."""

    def wrapper(self: Any, case: Any, **kwargs: Any) -> Any:
        for name in ("max_redirects", "verify", "cert", "proxies"):
            kwargs.pop(name, None)
        return send(self, case, **kwargs)

    return wrapper


@pytest.fixture
def _quiet_background(settings: Any, tmp_path: Any) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    with (
        mock.patch("childprotect.tasks.deliver_email_task.delay"),
        mock.patch("reporting.tasks.generate_report_task.delay"),
        mock.patch.object(WSGITransport, "send", _in_process(WSGITransport.send)),
    ):
        yield


@pytest.mark.usefixtures("_quiet_background")
def test_every_operation_is_what_the_schema_says(transactional_db: None, client: Any) -> None:
    p = build_personas()
    world = build_world(p)
    raw_schema = SchemaGenerator().get_schema(request=None, public=True)
    all_operations = {f"{method.upper()} {path}" for path, item in raw_schema["paths"].items() for method in item}
    tokens = {
        user.username: do_issue_api_token(acting_user=user)[1]
        for user in (p.officer_a1, p.police_a, p.province_officer_a, p.admin)
    }
    forms = client.get(
        f"/api/v1/cases/{world['case'].pk}/forms/", HTTP_AUTHORIZATION=f"Token {tokens['officer_a1']}"
    ).json()
    app = InProcessApp()
    hook = schemathesis.hook("before_call")(real_ids_hook(path_values(world, forms)))
    started = time.monotonic()
    tested: set[str] = set()
    requests = 0
    failures: list[str] = []
    errors: list[str] = []
    try:
        for username, token in tokens.items():
            if PERSONAS and username not in PERSONAS:
                continue
            result = run_schemathesis(raw_schema, app, token, coverage=not tested)
            tested |= result["operations"]
            requests += result["requests"]
            failures += [f"[{username}] {line}" for line in result["failures"]]
            errors += [f"[{username}] {line}" for line in result["errors"]]
    finally:
        GLOBAL_HOOK_DISPATCHER.unregister(hook)
        app.close()
    server_errors = [line for line in failures if "not_a_server_error" in line]
    print(
        f"\nschemathesis: {len(tested & all_operations)} of {len(all_operations)} operations, {requests} requests, "
        f"{len(server_errors)} server errors, {len(failures) - len(server_errors)} conformance failures, "
        f"{time.monotonic() - started:.0f} s"
    )
    if failures:
        print(Counter(line.split(":", 1)[0] for line in failures))
    assert not errors, "\n".join(errors)
    assert not failures, "\n".join(sorted(set(failures)))
    assert all_operations <= tested, sorted(all_operations - tested)
