"""The referral API as the issue's contract states it: POST /api/v1/referrals/ → 201; GET the caller's inbox or
sent list; POST {id}/accept/, /decline/ {"reason"}, /progress/ {"note"}, /complete/ {"outcome"}, /withdraw/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import CaseEvent, Referral
from tests.cases.conftest import refer
from tests.personas import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]
JSON = "application/json"


def test_the_whole_handshake_through_the_api(personas: Personas, client_for, case_a1) -> None:
    officer, police = client_for(personas.officer_a1), client_for(personas.police_a)
    due = (timezone.now() + datetime.timedelta(hours=3)).replace(microsecond=0)
    created = officer.post(
        "/api/v1/referrals/",
        {
            "case": case_a1.pk,
            "agency": "CA-19",
            "reason": "Nghi xâm hại tình dục, đề nghị xác minh.",
            "services": "Xác minh, ngăn chặn",
            "urgency": "immediate",
            "due_at": due.isoformat(),
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert created["Location"] == f"/api/v1/referrals/{pk}/"
    assert body["status"] == "sent" and body["agency"]["code"] == "CA-19" and body["urgency"] == "immediate"
    assert datetime.datetime.fromisoformat(body["due_at"]) == due
    assert body["case"]["id"] == case_a1.pk

    inbox = police.get("/api/v1/referrals/").json()
    assert [row["id"] for row in inbox["results"]] == [pk]
    assert officer.get("/api/v1/referrals/").json()["results"][0]["id"] == pk  # the sent list

    accepted = police.post(f"/api/v1/referrals/{pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    progress = police.post(f"/api/v1/referrals/{pk}/progress/", {"note": "Đã lấy lời khai."}, content_type=JSON)
    assert progress.status_code == 200 and progress.json()["status"] == "in_progress"
    assert progress.json()["notes"][0]["text"] == "Đã lấy lời khai."
    done = police.post(f"/api/v1/referrals/{pk}/complete/", {"outcome": "Đã khởi tố."}, content_type=JSON)
    assert done.status_code == 200 and done.json()["outcome"] == "Đã khởi tố." and done.json()["status"] == "completed"

    timeline = officer.get(f"/api/v1/cases/{case_a1.pk}/timeline/").json()
    last = timeline[-1]
    assert last["event_type"] == "referral" and last["text"] == "Đã khởi tố."
    assert "hoàn thành" in last["summary"] and "Công an tỉnh Thái Nguyên" in last["summary"]


def test_decline_and_withdraw(personas: Personas, client_for, case_a1, more) -> None:
    police = client_for(personas.police_a)
    first = refer(personas, case_a1)
    missing = police.post(f"/api/v1/referrals/{first.pk}/decline/", {}, content_type=JSON)
    assert missing.status_code == 400 and "reason" in missing.json()
    declined = police.post(f"/api/v1/referrals/{first.pk}/decline/", {"reason": "Sai địa bàn"}, content_type=JSON)
    assert declined.status_code == 200 and declined.json()["decline_reason"] == "Sai địa bàn"
    second = refer(personas, case_a1, agency=more.health_agency)
    withdrawn = client_for(personas.officer_a1).post(f"/api/v1/referrals/{second.pk}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_refusals_answer_with_a_reason_403_for_the_wrong_side_409_for_the_wrong_state(
    personas: Personas, client_for, referral
) -> None:
    officer = client_for(personas.officer_a1)
    refused = officer.post(f"/api/v1/referrals/{referral.pk}/accept/")
    assert refused.status_code == 403 and "đầu mối" in refused.json()["detail"]
    assert refused.json()["code"] == "not_allowed"
    police = client_for(personas.police_a)
    too_early = police.post(f"/api/v1/referrals/{referral.pk}/complete/", {"outcome": "x"}, content_type=JSON)
    assert too_early.status_code == 409 and "Không thể" in too_early.json()["detail"]
    assert too_early.json()["code"] == "rule_violation"
    assert police.post(f"/api/v1/referrals/{referral.pk}/withdraw/").status_code == 403


def test_creating_validates_and_hides_cases_the_caller_does_not_work(personas: Personas, client_for, case_a1):
    officer = client_for(personas.officer_a1)
    bad = officer.post(
        "/api/v1/referrals/",
        {"case": case_a1.pk, "agency": "NO-SUCH", "reason": "", "urgency": "soon"},
        content_type=JSON,
    )
    assert bad.status_code == 400 and {"agency", "reason", "urgency"} <= set(bad.json())
    past = officer.post(
        "/api/v1/referrals/",
        {"case": case_a1.pk, "agency": "CA-19", "reason": "x", "due_at": "2020-01-01T00:00:00+07:00"},
        content_type=JSON,
    )
    assert past.status_code == 400 and "due_at" in past.json()
    body = {"case": case_a1.pk, "agency": "CA-19", "reason": "x"}
    for who in ("officer_a2", "police_a", "province_officer_b"):
        response = client_for(getattr(personas, who)).post("/api/v1/referrals/", body, content_type=JSON)
        assert response.status_code == 404, who
    assert not Referral.objects.exists()
    # Urgency and due time may be left out: "normal", due by its default.
    created = officer.post("/api/v1/referrals/", body, content_type=JSON)
    assert created.status_code == 201 and created.json()["urgency"] == "normal"


def test_filters(personas: Personas, client_for, case_a1, more) -> None:
    first = refer(personas, case_a1)
    refer(personas, case_a1, agency=more.health_agency, urgency="normal")
    Referral.objects.filter(pk=first.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=1))
    officer = client_for(personas.officer_a1)
    assert officer.get("/api/v1/referrals/?overdue=true").json()["count"] == 1
    assert officer.get("/api/v1/referrals/?agency=YT-19").json()["count"] == 1
    assert officer.get("/api/v1/referrals/?status=sent&urgency=immediate").json()["count"] == 1
    assert officer.get(f"/api/v1/referrals/?case={case_a1.pk}").json()["count"] == 2


def test_every_step_is_on_the_case_timeline(personas: Personas, client_for, referral) -> None:
    police = client_for(personas.police_a)
    police.post(f"/api/v1/referrals/{referral.pk}/accept/")
    police.post(f"/api/v1/referrals/{referral.pk}/complete/", {"outcome": "Xong"}, content_type=JSON)
    actions = [e.details["action"] for e in CaseEvent.objects.filter(case=referral.case, event_type="referral")]
    assert actions == ["sent", "accepted", "completed"]
