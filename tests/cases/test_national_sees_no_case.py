"""The national role (Cục Bà mẹ và Trẻ em, Bộ Y tế) reads statistics only: every page and endpoint of a case, a
referral, a transfer, an attachment, a printed form and an audit entry answers it 404, exactly as for a record
that does not exist, and every list is empty. The routes are read from the URL configuration, so a route added
later is checked too; each detail route is first shown to open for the commune's own officer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cases.models import Case
from cases.services import workflow as wf
from cases.services.files import do_add_attachment, do_add_note
from childprotect.models import AuditEvent
from tests.cases.conftest import CAREGIVER_NAME, CHILD_NAME, refer, referral_case
from tests.conftest import REPORTER_NAME

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]

# The records a national officer must never reach, by the start of their route.
PROTECTED = re.compile(r"^(cases/|audit/|api/v1/(\^)?(cases|referrals|transfers|audit-events)\b)")
# Routes that open no record: the intake form and its live checks (commune search is public reference data).
NO_RECORD = {"cases:intake-communes"}


def _routes() -> list[tuple[str, str, list[str]]]:
    """(full route, name with namespace, parameter names) of every route."""
    found: list[tuple[str, str, list[str]]] = []

    def walk(patterns: Any, prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                params = list(getattr(pattern.pattern, "converters", {}) or {}) or list(
                    pattern.pattern.regex.groupindex
                )
                found.append((route, f"{namespace}{pattern.name}", params))

    walk(get_resolver().url_patterns, "", "")
    return [(r, n, p) for r, n, p in found if PROTECTED.match(r) and "format" not in p and n not in NO_RECORD]


@pytest.fixture
def records(personas, private_storage) -> dict[str, Any]:
    case = referral_case(personas)
    do_add_note(acting_user=personas.officer_a1, case=case, text="Đã gặp gia đình.")
    attachment = do_add_attachment(
        acting_user=personas.officer_a1,
        case=case,
        uploaded=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    referral = refer(personas, case)
    moving = referral_case(personas)
    transfer = wf.do_transfer_case(
        acting_user=personas.officer_a1,
        case=moving,
        expected_version=moving.version,
        to_commune=personas.commune_b1,
        reason="Gia đình chuyển nơi ở",
    )
    event = AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk)).order_by("pk").first()
    assert event is not None
    return {"case": case, "attachment": attachment, "referral": referral, "transfer": transfer, "event": event}


def _kwargs(route: str, params: list[str], r: dict[str, Any]) -> dict[str, Any]:
    case: Case = r["case"]
    values: dict[str, Any] = {
        "case_id": case.pk,
        "attachment_id": r["attachment"].pk,
        "att_id": r["attachment"].pk,
        "referral_id": r["referral"].pk,
        "transfer_id": r["transfer"].pk,
        "event_id": r["event"].pk,
        "record": "child",
        "record_id": case.child_id,
        "form": "mau-01",
        "action": "initial-assessment",
        "answer": "accept",
    }
    if "pk" in params:
        if "referrals" in route:
            values["pk"] = r["referral"].pk
        elif "transfers" in route:
            values["pk"] = r["transfer"].pk
        elif "audit" in route:
            values["pk"] = r["event"].pk
        else:
            values["pk"] = case.pk
    if "form" in params:
        values["record_id"] = case.pk
    return {name: values[name] for name in params}


def _call(client, url: str):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def test_the_national_officer_gets_404_for_every_case_referral_transfer_and_audit_record(
    personas, client_for, records
) -> None:
    national = client_for(personas.national)
    # Those who see the records: the commune's officer (the case file), the province's officer (the audit log).
    own = [client_for(personas.officer_a1), client_for(personas.province_officer_a)]
    secrets = [CHILD_NAME, CAREGIVER_NAME, REPORTER_NAME, records["case"].case_number]
    routes = _routes()
    with_record = [(route, name, params) for route, name, params in routes if params]
    assert len(with_record) > 40, "the URL configuration should list the case, referral and transfer routes"
    for route, name, params in with_record:
        url = reverse(name, kwargs=_kwargs(route, params, records))
        answer = _call(national, url)
        if answer.status_code == 403:
            # The intake's pages refuse a role that records no case before reading any record (a draft): the
            # same refusal for a draft that does not exist, so nothing can be probed.
            missing = reverse(
                name,
                kwargs={k: (999999 if isinstance(v, int) else v) for k, v in _kwargs(route, params, records).items()},
            )
            assert name.startswith("cases:intake") and _call(national, missing).status_code == 403, url
        else:
            assert answer.status_code == 404, f"{name} {url} → {answer.status_code}"
        assert not any(secret.encode() in answer.content for secret in secrets), url
        # (Not for a draft's page: the case is no draft; nor for the forms that make a new record, which also
        # depend on the case's state; the referral form's agency field is part of one.)
        if (
            answer.request["REQUEST_METHOD"] == "GET"
            and name != "cases:intake-draft"
            and not name.endswith(("-new", "-agencies"))
        ):
            # The record exists and its route is right: its own officers open it.
            assert any(_call(c, url).status_code != 404 for c in own), f"{name} {url}: the control should open it"
    for _route, name, params in routes:
        if params:
            continue
        url = reverse(name)
        answer = national.get(url)
        # A list: empty, or 404; the intake's forms: refused to a role that records no case (403).
        assert answer.status_code in (200, 403, 404), f"{name} {url} → {answer.status_code}"
        assert not any(secret.encode() in answer.content for secret in secrets), url
        if answer.status_code == 200 and url.startswith("/api/"):
            assert answer.json().get("count", 0) == 0, url


def test_the_national_officer_sees_no_case_through_the_access_rule(personas, records) -> None:
    from cases.models import CaseTransfer, Referral

    national = personas.national
    assert not Case.objects.visible_to(national).exists()
    assert not Referral.objects.visible_to(national).exists()
    assert not CaseTransfer.objects.visible_to(national).exists()
    assert not AuditEvent.objects.visible_to(national).exists()
