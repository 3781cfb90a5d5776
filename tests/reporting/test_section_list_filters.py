"""The list filters the dashboard's referral and directive-task figures link to: the referral list's agency, place,
kind, days of sending and answer (cases/filters.py, ReferralFilter), and the task list's due-date window and its status
(directives/filters.py) — each narrowing only what the user already sees, bad input answered next to its field."""

from __future__ import annotations

import re

import pytest

from tests.reporting.conftest import YEAR
from tests.reporting.known_sections import KnownSections, build_known_sections

pytestmark = pytest.mark.django_db

SENT = {"sent_from": f"{YEAR}-01-01", "sent_to": f"{YEAR}-12-31", "state": "all"}
WINDOW = {"due_from": f"{YEAR}-01-01", "due_to": f"{YEAR}-12-31"}


@pytest.fixture
def known(personas) -> KnownSections:
    return build_known_sections(personas)


def _count(response, noun: str, status: int = 200) -> int:
    assert response.status_code == status
    found = re.search(rf"<caption[^>]*>(\d+) {noun}</caption>", response.content.decode())
    return int(found.group(1)) if found else 0


def test_the_referral_list_narrows_by_agency_place_kind_days_and_answer(personas, client_for, known) -> None:
    client = client_for(personas.province_officer_a)

    def count(**params: str) -> int:
        return _count(client.get("/cases/referrals/", params), "chuyển gửi")

    assert count(state="all") == 5  # four in YEAR, one the year before
    assert count(agency="CA-19", state="all") == 4
    assert count(agency="CA-19", **SENT) == 3
    assert count(agency="CA-19", sent_from=f"{YEAR}-03-01", sent_to=f"{YEAR}-03-01", state="all") == 1  # whole day
    assert count(agency="CA-19", sent_to=f"{YEAR - 1}-12-31", state="all") == 1
    assert count(answer="accepted", **SENT) == 3
    assert count(answer="declined", **SENT) == 0
    assert count(commune="05767", **SENT) == 1 and count(commune="05713", **SENT) == 3
    assert count(province="19", **SENT) == 4 and count(province="01", **SENT) == 0
    assert count(kind="abuse", **SENT) == 4 and count(kind="accident", **SENT) == 0
    assert count(state="overdue", **{k: v for k, v in SENT.items() if k != "state"}) == 1

    page = client.get("/cases/referrals/", {"agency": "CA-19", **SENT}).content.decode()
    assert "Cơ quan nhận: Công an tỉnh Thái Nguyên" in page
    # The status tabs and the form keep the narrowing.
    assert f'href="?agency=CA-19&amp;sent_from={YEAR}-01-01&amp;sent_to={YEAR}-12-31&amp;state=overdue"' in page
    assert '<input type="hidden" name="agency" value="CA-19"' in page


def test_a_bad_date_is_answered_next_to_its_field_and_the_rest_still_applies(personas, client_for, known) -> None:
    response = client_for(personas.province_officer_a).get(
        "/cases/referrals/", {"agency": "SYT-19", "sent_from": "31/12/2024", "state": "all"}
    )
    page = response.content.decode()
    assert response.status_code == 400  # the form refused a filter: said next to it, the rest still applies
    assert 'id="id_sent_from_error"' in page and 'value="31/12/2024"' in page  # what was typed is kept
    assert _count(response, "chuyển gửi", status=400) == 1


def test_the_referral_filters_never_widen_what_a_user_sees(personas, client_for, known) -> None:
    outsider = client_for(personas.province_officer_b)
    assert _count(outsider.get("/cases/referrals/", {"agency": "CA-19", "state": "all"}), "chuyển gửi") == 0
    assert _count(outsider.get("/cases/referrals/", {"province": "19", "state": "all"}), "chuyển gửi") == 0
    # A focal point gets no filter on the case's kind or place: what they learn of a case is the referral's view.
    police = client_for(personas.police_a)
    response = police.get("/cases/referrals/", {"kind": "accident", "commune": "05767", "state": "all"})
    assert _count(response, "chuyển gửi") == 4
    assert 'name="kind"' not in response.content.decode()
    assert _count(police.get("/cases/referrals/", {"answer": "accepted", **SENT}), "chuyển gửi") == 3


def test_the_task_list_narrows_to_due_dates_of_a_window_and_status(personas, client_for, known) -> None:
    officer = client_for(personas.province_officer_a)

    def api(**params: str) -> int:
        response = officer.get("/api/v1/directive-tasks/", params)
        assert response.status_code == 200, response.content
        return response.json()["count"]

    assert api(**WINDOW) == 4
    assert api(due_from=f"{YEAR - 1}-01-01", due_to=f"{YEAR - 1}-12-31") == 1
    assert api(due_status="done_on_time", **WINDOW) == 2
    assert api(due_status="done_late", **WINDOW) == 1
    assert api(due_status="overdue", **WINDOW) == 1
    assert api(due_status="overdue") == 2  # any due date: this year's police task and last year's health task
    assert api(agency="SGDDT-19", due_status="done_late", **WINDOW) == 1
    assert api(commune="05713", due_status="done_on_time", **WINDOW) == 1
    assert api(due_from=f"{YEAR}-01-01", due_to=f"{YEAR}-03-31") == 1
    assert officer.get("/api/v1/directive-tasks/", {"due_status": "later"}).status_code == 400
    assert officer.get("/api/v1/directive-tasks/", {"due_from": "31/12/2024"}).status_code == 400

    page = officer.get("/directives/tasks/", {"agency": "SGDDT-19", "due_status": "done_late", **WINDOW})
    assert _count(page, "nhiệm vụ") == 1
    html = page.content.decode()
    assert f"<strong>Hạn trong năm {YEAR}</strong>" in html  # the filters in words (directives/filter_words.py)
    assert "Tình trạng của hạn: <strong>Hoàn thành quá hạn</strong>" in html
    assert '<input type="hidden" name="due_status" value="done_late"' in html  # kept when the form is used

    # Never more than the user sees: another province, and a commune's officer (their own tasks only).
    outsider = client_for(personas.province_officer_b)
    assert outsider.get("/api/v1/directive-tasks/", WINDOW).json()["count"] == 1
    commune = client_for(personas.officer_a1)
    assert _count(commune.get("/directives/tasks/", {"due_status": "done_on_time", **WINDOW}), "nhiệm vụ") == 1
