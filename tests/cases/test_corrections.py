"""Correcting the case file after receipt: field-level history (typed old and new values, who, when, why), the
optimistic lock, the reason, who may correct what, the page and the API, and "as of" reads."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases.history import correction_history, value_as_of
from cases.models import CaseCorrection, CaseEventType, DeadlineStep
from cases.services.corrections import do_add_caregiver, do_correct_record
from childprotect.errors import NotAllowed, VersionConflict
from childprotect.models import AuditEvent
from tests.cases.conftest import TYPED, make_full_case
from tests.conftest import make_case
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_broker")

REASON = "Theo giấy khai sinh do gia đình cung cấp"


def _correct(p: Personas, case, record: str, record_id: int, **changes):
    case.refresh_from_db()
    return do_correct_record(
        acting_user=p.officer_a1,
        case=case,
        record=record,
        record_id=record_id,
        expected_version=case.version,
        changes=changes,
        reason=REASON,
    )


def test_a_correction_keeps_each_field_typed_with_who_when_and_why(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    old_birth = case.child.date_of_birth
    new_birth = datetime.date(old_birth.year + 1, 1, 2)
    before = timezone.now()
    rows = _correct(p, case, "child", case.child_id, date_of_birth=new_birth, sex="female")
    assert [row.field for row in rows] == ["date_of_birth"]  # sex did not change: not in the history
    row = rows[0]
    assert row.value_type == "date"
    assert row.old_value == old_birth.isoformat() and row.new_value == new_birth.isoformat()
    assert row.actor == p.officer_a1 and row.reason == REASON and row.effective_at >= before
    case.child.refresh_from_db()
    assert case.child.date_of_birth == new_birth
    event = case.events.get(event_type=CaseEventType.CORRECTED)
    assert event.details["fields"] == ["date_of_birth"] and event.details["reason"] == REASON
    audit = AuditEvent.objects.filter(target_id=str(case.pk), details__event=CaseEventType.CORRECTED).get()
    assert audit.details["fields"] == ["date_of_birth"] and audit.details["record"] == "child"
    assert TYPED["child"] not in str(audit.details)  # ids and field names only
    entry = correction_history(case, p.officer_a1)[0]
    assert entry.old_text == old_birth.strftime("%d/%m/%Y") and entry.new_text == new_birth.strftime("%d/%m/%Y")


def test_as_of_a_moment_the_old_value_is_read_back(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    old_birth = case.child.date_of_birth
    moment = timezone.now()
    _correct(p, case, "child", case.child_id, date_of_birth=datetime.date(old_birth.year, 12, 1))
    current = datetime.date(old_birth.year, 12, 1)
    assert value_as_of(case, "child", case.child_id, "date_of_birth", current, moment) == old_birth
    assert value_as_of(case, "child", case.child_id, "date_of_birth", current, timezone.now()) == current


def test_choices_units_and_lists_are_kept_as_codes_and_shown_by_name(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    rows = _correct(
        p,
        case,
        "case",
        case.pk,
        incident_commune=p.commune_a1,
        abuse_subtypes=["sexual_abuse.rape"],
        setting="family",
    )
    by_field = {row.field: row for row in rows}
    assert by_field["incident_commune"].old_value == p.commune_a2.pk
    assert by_field["incident_commune"].new_value == p.commune_a1.pk
    assert by_field["abuse_subtypes"].new_value == ["sexual_abuse.rape"]
    assert by_field["setting"].old_value == "community" and by_field["setting"].new_value == "family"
    texts = {entry.field: (entry.old_text, entry.new_text) for entry in correction_history(case, p.officer_a1)}
    assert texts["setting"] == ("Cộng đồng", "Gia đình")
    assert texts["abuse_subtypes"] == ("Dâm ô", "Hiếp dâm")
    assert texts["incident_commune"][1] == p.commune_a1.full_name


def test_a_stale_version_writes_nothing(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    stale = case.version
    _correct(p, case, "child", case.child_id, id_number="019313000778")
    with pytest.raises(VersionConflict):
        do_correct_record(
            acting_user=p.chair_a1,
            case=case,
            record="child",
            record_id=case.child_id,
            expected_version=stale,
            changes={"id_number": "019313000999"},
            reason=REASON,
        )
    case.child.refresh_from_db()
    assert case.child.id_number == "019313000778"
    assert CaseCorrection.objects.filter(case=case).count() == 1


def test_a_reason_and_a_change_are_required_and_values_are_checked(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    case.refresh_from_db()
    with pytest.raises(ValidationError) as no_reason:
        do_correct_record(
            acting_user=p.officer_a1,
            case=case,
            record="child",
            record_id=case.child_id,
            expected_version=case.version,
            changes={"id_number": "019313000778"},
            reason="  ",
        )
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError):
        _correct(p, case, "child", case.child_id, sex=case.child.sex)  # nothing changes
    with pytest.raises(ValidationError) as future:
        _correct(p, case, "child", case.child_id, date_of_birth=timezone.localdate() + datetime.timedelta(days=3))
    assert "date_of_birth" in future.value.message_dict
    with pytest.raises(ValidationError) as stray:
        _correct(p, case, "case", case.pk, abuse_subtypes=["violence.serious_harm"])
    assert "abuse_subtypes" in stray.value.message_dict
    with pytest.raises(ValidationError) as not_correctable:
        _correct(p, case, "case", case.pk, received_at=timezone.now())
    assert "received_at" in not_correctable.value.message_dict
    assert not CaseCorrection.objects.filter(case=case).exists()


def test_only_the_communes_case_workers_correct(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    for user in (p.province_officer_a, p.hotline, p.admin):
        case.refresh_from_db()
        with pytest.raises(NotAllowed):
            do_correct_record(
                acting_user=user,
                case=case,
                record="child",
                record_id=case.child_id,
                expected_version=case.version,
                changes={"id_number": "019313000778"},
                reason=REASON,
            )


def test_a_caregiver_found_later_enters_the_history(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="received")
    case.refresh_from_db()
    caregiver = do_add_caregiver(
        acting_user=p.chair_a1,
        case=case,
        expected_version=case.version,
        full_name="Lò Thị Mẹ",
        relationship="Mẹ",
        phone="0977 000 111",
        reason="Mẹ của trẻ về địa phương",
    )
    assert caregiver.child_id == case.child_id
    rows = CaseCorrection.objects.filter(case=case, record="caregiver", record_id=caregiver.pk)
    assert {row.field: (row.old_value, row.new_value) for row in rows} == {
        "full_name": (None, "Lò Thị Mẹ"),
        "relationship": (None, "Mẹ"),
        "phone": (None, "0977 000 111"),
    }  # what was left empty (no address, not suspected) adds nothing to the history


def test_adding_sexual_abuse_by_correction_opens_the_police_duty(personas: Personas) -> None:
    p = personas
    case = make_case(p.officer_a1, p.commune_a1, forms=["violence"])
    assert not case.deadlines.filter(step=DeadlineStep.POLICE_NOTIFICATION).exists()
    _correct(p, case, "case", case.pk, abuse_forms=["violence", "sexual_abuse"])
    assert case.deadlines.filter(step=DeadlineStep.POLICE_NOTIFICATION, met_at__isnull=True).exists()


def test_step_data_is_corrected_too(personas: Personas) -> None:
    p = personas
    case = make_full_case(p, until="approved")
    assessment = case.assessments.get(kind="detailed")
    plan = case.plans.get()
    _correct(p, case, "assessment", assessment.pk, child_views="Cháu muốn ở với bà ngoại và đi học lại")
    _correct(p, case, "plan", plan.pk, decision_number="22/QĐ-UBND")
    assessment.refresh_from_db()
    plan.refresh_from_db()
    assert assessment.child_views.endswith("đi học lại") and plan.decision_number == "22/QĐ-UBND"
    with pytest.raises(Exception) as elsewhere:  # another case's record is not reachable
        other = make_full_case(p, until="received")
        _correct(p, other, "assessment", assessment.pk, findings="x")
    assert getattr(elsewhere.value, "status_code", 404) == 404


# --- The page and the API ------------------------------------------------------------------------------------------


def test_the_page_corrects_and_the_case_page_shows_old_and_new(personas: Personas, client_for) -> None:
    p = personas
    case = make_full_case(p, until="received")
    client = client_for(p.officer_a1)
    url = reverse("cases:correct", args=[case.pk, "child", case.child_id])
    page = client.get(url)
    assert page.status_code == 200
    old = case.child.date_of_birth
    new = datetime.date(old.year, 5, 20)
    missing_reason = client.post(url, {"version": case.version, "date_of_birth": new.isoformat(), "reason": ""})
    assert missing_reason.status_code == 400
    assert new.isoformat() in missing_reason.content.decode()  # what was typed is kept
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"date_of_birth": new.isoformat(), "reason": REASON})
    done = client.post(url, data)
    assert done.status_code == 302, done.content.decode()[:2000]
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert old.strftime("%d/%m/%Y") in detail and new.strftime("%d/%m/%Y") in detail and REASON in detail


def test_a_stale_page_is_refused_with_409_and_keeps_the_input(personas: Personas, client_for) -> None:
    p = personas
    case = make_full_case(p, until="received")
    url = reverse("cases:correct", args=[case.pk, "child", case.child_id])
    stale = case.version
    _correct(p, case, "child", case.child_id, id_number="019313000778")
    chair = client_for(p.chair_a1)
    form = chair.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"version": stale, "id_number": "019313000999", "reason": REASON})
    answer = chair.post(url, data)
    assert answer.status_code == 409
    assert "019313000999" in answer.content.decode()
    case.child.refresh_from_db()
    assert case.child.id_number == "019313000778"


def test_the_api_corrects_lists_the_history_and_refuses_a_stale_version(personas: Personas, client_for) -> None:
    p = personas
    case = make_full_case(p, until="received")
    client = client_for(p.officer_a1)
    url = f"/api/v1/cases/{case.pk}/corrections/"
    body = {
        "record": "child",
        "record_id": case.child_id,
        "version": case.version,
        "reason": REASON,
        "changes": {"date_of_birth": "2014-02-03", "ethnicity_code": "01"},
    }
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    assert {row["field"]: row["new_value"] for row in made.json()} == {
        "date_of_birth": "2014-02-03",
        "ethnicity_code": "01",
    }
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
    history = client.get(url).json()
    assert [row["field"] for row in history] == ["date_of_birth", "ethnicity_code"]
    assert history[1]["old_text"] == "Thái" and history[1]["new_text"] == "Kinh (Việt)"
    bad = client.post(
        url,
        {**body, "version": case.version + 1, "changes": {"sex": "robot", "received_at": "2020-01-01"}},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_outsiders_get_404_on_every_correction_page_and_endpoint(personas: Personas, client_for) -> None:
    p = personas
    case = make_full_case(p, until="received")
    pages = [
        reverse("cases:correct", args=[case.pk, "child", case.child_id]),
        reverse("cases:caregiver-add", args=[case.pk]),
    ]
    for user in (p.officer_a2, p.province_officer_b, p.police_a, p.nobody):
        client = client_for(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        assert client.get(f"/api/v1/cases/{case.pk}/corrections/").status_code == 404
        body = {"record": "child", "record_id": case.child_id, "version": 1, "reason": "x", "changes": {"sex": "male"}}
        assert (
            client.post(f"/api/v1/cases/{case.pk}/corrections/", body, content_type="application/json").status_code
            == 404
        )
        assert (
            client.post(f"/api/v1/cases/{case.pk}/caregivers/", {}, content_type="application/json").status_code == 404
        )
    # The province officer reads the history but does not correct; an admin reading the file sees no history.
    assert client_for(p.province_officer_a).get(f"/api/v1/cases/{case.pk}/corrections/").status_code == 200
    assert client_for(p.province_officer_a).get(pages[0]).status_code == 404
    assert client_for(p.admin).get(f"/api/v1/cases/{case.pk}/corrections/").status_code == 404
