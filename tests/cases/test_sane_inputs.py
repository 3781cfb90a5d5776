"""Finding 4 (dates and lists) of issue 13: every date and list a person types is held to a sane range, and a bad
one is a 400 in the project's error shape, never a 500 and never a stored absurdity.

Before: `received_to=9999-12-31` (cases list, HTML and API), `sent_to=9999-12-31` (referral list) and the
dashboard's `from=9999-12-31` raised OverflowError (500); a `received_at` of year 1 with `age_years` raised an
IntegrityError from the birth-year check (500); dates of birth and incidents in year 1 were stored (the list then
showed the child aged 2025); `abuse_forms` with 10,000 repeats was stored as 10,000 entries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.models import Case
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case
from childprotect.validators import check_date_of_birth, check_past_event, unique_bounded

pytestmark = pytest.mark.django_db

URL = "/api/v1/cases/"


def payload(**overrides):
    body = {
        "child": {"full_name": "Nguyễn Thị Hương", "date_of_birth": "2014-05-02", "sex": "female", "commune": "05713"},
        "kind": "abuse",
        "abuse_forms": ["violence"],
        "received_at": timezone.now().isoformat(),
        "reporter": {"channel": "phone", "name": "Trần Văn Bình"},
        "summary": "Hàng xóm báo trẻ bị đánh.",
    }
    body.update(overrides)
    return body


def post(client, body):
    return client.post(URL, body, content_type="application/json")


# --- Filters beyond the calendar --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("officer_a1", "/cases/?received_to=9999-12-31"),
        ("officer_a1", "/cases/?received_from=9999-12-31"),
        ("officer_a1", "/api/v1/cases/?received_to=9999-12-31"),
        ("officer_a1", "/cases/referrals/?sent_to=9999-12-31"),
        ("province_officer_a", "/reports/dashboard/?from=9999-12-31"),
        ("province_officer_a", "/api/v1/dashboard/?from=9999-12-31"),
        ("province_officer_a", "/api/v1/dashboard/?to=9999-12-31"),
    ],
)
def test_a_filter_day_beyond_the_calendar_is_a_400(personas, client_for, who, path):
    response = client_for(getattr(personas, who)).get(path)
    assert response.status_code == 400, response.content[:300]
    text = response.content.decode()
    assert "31/12/2999" in text  # the Vietnamese message names the range
    if path.startswith("/api/"):
        body = response.json()
        assert "detail" in body or any(isinstance(v, list) for v in body.values())


def test_a_filter_day_within_the_calendar_still_filters(personas, client_for):
    response = client_for(personas.officer_a1).get("/api/v1/cases/?received_to=2999-12-31")
    assert response.status_code == 200


def test_repeated_status_filters_are_bounded(personas, client_for):
    query = "&".join(["status=received"] * 150)
    response = client_for(personas.officer_a1).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400
    assert "tối đa" in response.content.decode()


# --- Intake: dates of birth, receipt, incident --------------------------------------------------------------------


def test_received_in_year_one_with_an_age_is_a_400_not_an_integrity_error(personas, client_for):
    body = payload(received_at="0001-01-02T00:00:00+07:00")
    body["child"] = {"full_name": "Nguyễn Văn An", "age_years": 9, "commune": "05713"}
    response = post(client_for(personas.officer_a1), body)
    assert response.status_code == 400, response.content
    assert "received_at" in response.json()
    assert not Case.objects.exists()


def test_a_draft_received_in_year_one_is_refused_too(personas, client_for):
    body = payload(received_at="0001-01-02T00:00:00+07:00", draft=True)
    body["child"] = {"full_name": "Nguyễn Văn An", "age_years": 9, "commune": "05713"}
    assert post(client_for(personas.officer_a1), body).status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize("dob", ["0001-01-01", "1990-01-01"])
def test_a_birth_more_than_18_years_before_the_report_is_refused(personas, client_for, dob):
    body = payload()
    body["child"]["date_of_birth"] = dob
    response = post(client_for(personas.officer_a1), body)
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["child"]


def test_a_birth_after_the_report_is_refused(personas, client_for):
    body = payload(received_at="2025-03-01T09:00:00+07:00")
    body["child"]["date_of_birth"] = "2025-06-01"
    response = post(client_for(personas.officer_a1), body)
    assert response.status_code == 400
    assert "date_of_birth" in response.json()["child"]


@pytest.mark.parametrize("day", ["0001-01-01", "1989-12-31"])
def test_an_incident_before_1990_is_refused(personas, client_for, day):
    response = post(client_for(personas.officer_a1), payload(incident_date=day))
    assert response.status_code == 400
    assert "incident_date" in response.json()
    assert "01/01/1990" in response.json()["incident_date"][0]


def test_a_receipt_in_the_future_is_refused(personas, client_for):
    later = (timezone.now() + datetime.timedelta(days=2)).isoformat()
    response = post(client_for(personas.officer_a1), payload(received_at=later))
    assert response.status_code == 400 and "received_at" in response.json()


def test_abuse_forms_repeated_ten_thousand_times_are_refused(personas, client_for):
    response = post(client_for(personas.officer_a1), payload(abuse_forms=["violence"] * 10_000))
    assert response.status_code == 400
    assert "abuse_forms" in response.json()
    assert not Case.objects.exists()


def test_abuse_forms_repeated_a_few_times_are_kept_once(personas, client_for):
    response = post(client_for(personas.officer_a1), payload(abuse_forms=["violence", "violence", "neglect"]))
    assert response.status_code == 201, response.content
    assert Case.objects.get().abuse_forms == ["violence", "neglect"]


def test_too_many_caregivers_are_refused_in_the_words_of_every_list(personas, client_for):
    caregiver = {"full_name": "Lê Văn Cường", "relationship": "bố"}
    response = post(client_for(personas.officer_a1), payload(caregivers=[caregiver] * 101))
    assert response.status_code == 400
    assert response.json() == {"caregivers": {"non_field_errors": ["Danh sách quá dài: tối đa 100 mục."]}}
    assert not Case.objects.exists()


def test_the_intake_page_refuses_a_year_one_birth_and_keeps_what_was_typed(personas, client_for):
    client = client_for(personas.officer_a1)
    form = {
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "0001-01-01",
        "sex": "male",
        "commune": "05713",
        "kind": "abuse",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "immediate_danger": "no",
        "abuse_forms": ["violence"] * 150,
        "summary": "Trẻ bị đánh.",
        "reporter-channel": "phone",
        "reporter-name": "Trần Bình",
        "reporter-phone": "0912345678",
        "reporter-relationship": "Hàng xóm",
        "caregivers-TOTAL_FORMS": "0",
        "caregivers-INITIAL_FORMS": "0",
        "action": "submit",
    }
    response = client.post("/cases/new/", form)
    assert response.status_code in {200, 400}
    assert not Case.objects.exists()
    assert "Nguyễn Văn An" in response.content.decode()


def test_the_service_is_the_last_line(personas):
    with pytest.raises(Exception) as raised:
        do_create_case(
            acting_user=personas.officer_a1,
            child=ChildInput(full_name="Nguyễn Văn An", commune=personas.commune_a1, age_years=9),
            case=CaseInput(
                kind="abuse",
                received_at=datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
                abuse_forms=["violence"],
            ),
            reporter=ReporterInput(channel="phone"),
            draft=True,
        )
    from django.core.exceptions import ValidationError

    assert isinstance(raised.value, ValidationError)
    assert "received_at" in raised.value.message_dict


# --- The rules themselves -------------------------------------------------------------------------------------------


def test_the_rules_in_one_place():
    from django.core.exceptions import ValidationError

    report = datetime.date(2025, 6, 1)
    check_date_of_birth(datetime.date(2007, 6, 1), report)  # 18 years to the day: the bound itself
    with pytest.raises(ValidationError):
        check_date_of_birth(datetime.date(2007, 5, 31), report)
    with pytest.raises(ValidationError):
        check_date_of_birth(datetime.date(2025, 6, 2), report)
    check_past_event(datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError):
        check_past_event(datetime.date(1989, 12, 31))
    with pytest.raises(ValidationError):
        check_past_event(timezone.localdate() + datetime.timedelta(days=1))
    assert unique_bounded(["a", "b", "a"]) == ["a", "b"]
    with pytest.raises(ValidationError):
        unique_bounded(["a"] * 101)


# --- Every other list: plan items, a directive's tasks, the correction form's checkboxes ----------------------------


def test_a_plan_of_a_thousand_items_is_refused_before_anything_else(personas, client_for):
    from tests.conftest import make_case

    case = make_case(personas.officer_a1, personas.commune_a1)
    item = {
        "service": "Tư vấn",
        "level": "support",
        "start_date": "2025-09-01",
        "expected_end_date": "2025-10-01",
    }
    body = {"version": case.version, "items": [item] * 1000}
    response = client_for(personas.officer_a1).put(
        f"/api/v1/cases/{case.pk}/plan/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "tối đa 100" in str(response.json()["items"])


def test_the_correction_forms_checkboxes_are_bounded_and_deduplicated():
    from childprotect.validators import UniqueMultipleChoiceField

    field = UniqueMultipleChoiceField(choices=[("a", "A"), ("b", "B")])
    assert field.clean(["b", "a", "b"]) == ["b", "a"]
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        field.clean(["a"] * 101)
