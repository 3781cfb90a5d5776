"""The review step before saving: warnings recomputed on every change (POST directives/new/check/, HTMX), the
question from when recurring deadlines count for a directive of an earlier year (default: the import date), and
each recurring task's first three due dates."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from directives.models import Directive, DirectiveTask, TaskOccurrence
from directives.services.create import recurrence_start_for
from tests.directives.conftest import Departments, read_sample, review_data

THAI_NGUYEN = "thai-nguyen-5310-UBND-KGVX-2023.txt"  # issued 10/10/2023
IMPORT_DAY = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)
CHECK_URL = "/directives/new/check/"


@pytest.fixture
def reviewed(dept: Departments, client_for) -> tuple[Client, dict[str, Any]]:
    """A province officer's review page of the Thái Nguyên công văn, with task 4 made quarterly (by the 20th of
    March, June, September, December) and leads chosen for every task, as the browser would send it back."""
    client = client_for(dept.p.province_officer_a)
    with time_machine.travel(IMPORT_DAY, tick=False):  # the day of the import: the default start
        response = client.post("/directives/new/", {"action": "parse", "text": read_sample(THAI_NGUYEN)})
    data = review_data(response)
    data["tasks-0-leads"] = ["agencies"]
    data["tasks-4-leads"] = ["communes"]
    data.update(
        {
            "tasks-3-deadline_kind": "recurring",
            "tasks-3-frequency": "quarterly",
            "tasks-3-deadline_day": "20",
            "tasks-3-deadline_month": "3",
            "recurrence_asked": "",
        }
    )
    return client, data


def test_the_default_start_is_the_import_date_for_a_directive_of_an_earlier_year() -> None:
    today = datetime.date(2026, 3, 1)
    assert recurrence_start_for(datetime.date(2023, 10, 10), None, today) == today
    assert recurrence_start_for(datetime.date(2026, 1, 5), None, today) == datetime.date(2026, 1, 5)
    assert recurrence_start_for(None, None, today) == today
    chosen = datetime.date(2023, 10, 10)
    assert recurrence_start_for(datetime.date(2023, 10, 10), chosen, today) == chosen


@time_machine.travel(IMPORT_DAY, tick=False)
def test_an_old_directive_asks_from_when_and_shows_the_first_three_due_dates(reviewed) -> None:
    client, data = reviewed
    page = client.post(CHECK_URL, data).content.decode()
    # Whether to ask changed (no recurring task before): the question comes in, out of band, with today's date.
    assert 'id="recurrence-start-box"' in page and 'hx-swap-oob="true"' in page
    assert 'name="recurrence_start"' in page and 'value="2026-03-01"' in page
    assert "Văn bản ban hành ngày 10/10/2023" in page
    assert "Kỳ hạn đầu (tính từ 01/03/2026):" in page
    assert "20/03/2026</strong>, <strong>20/06/2026</strong>, <strong>20/09/2026" in page

    data["recurrence_asked"] = "1"  # the question is on the page now
    data["recurrence_start"] = "2023-10-10"  # the officer wants the whole history
    page = client.post(CHECK_URL, data).content.decode()
    assert 'id="recurrence-start-box"' not in page  # not replaced under the officer's cursor
    assert "20/12/2023</strong>, <strong>20/03/2024</strong>, <strong>20/06/2024" in page


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_directive_of_this_year_is_not_asked_and_counts_from_its_issue_date(reviewed) -> None:
    client, data = reviewed
    data["issued_on"] = "2026-01-15"
    page = client.post(CHECK_URL, data).content.decode()
    assert 'id="recurrence-start-box"' not in page  # not asked before, not asked now
    assert "(tính từ 15/01/2026)" in page and "20/03/2026</strong>, <strong>20/06/2026" in page

    data["recurrence_asked"] = "1"  # asked before (the date was 2023): the box goes, out of band
    page = client.post(CHECK_URL, data).content.decode()
    assert 'id="recurrence-start-box"' in page and " hidden" in page.split('id="recurrence-start-box"')[1][:80]


@time_machine.travel(IMPORT_DAY, tick=False)
def test_saving_with_the_default_leaves_nothing_overdue_at_once(reviewed) -> None:
    client, data = reviewed
    data["recurrence_start"] = "2026-03-01"
    response = client.post("/directives/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    directive = Directive.objects.get()
    quarterly = DirectiveTask.objects.get(directive=directive, deadline_kind="recurring")
    assert quarterly.recurs_from == datetime.date(2026, 3, 1)
    dues = list(TaskOccurrence.objects.filter(task=quarterly).values_list("due_on", flat=True).order_by("due_on"))
    assert dues[:3] == [datetime.date(2026, 3, 20), datetime.date(2026, 6, 20), datetime.date(2026, 9, 20)]
    assert not TaskOccurrence.objects.filter(task__directive=directive, due_on__lt=datetime.date(2026, 3, 1)).exists()


@time_machine.travel(IMPORT_DAY, tick=False)
def test_saving_from_the_issue_date_keeps_the_history_the_officer_asked_for(reviewed) -> None:
    client, data = reviewed
    data["recurrence_start"] = "2023-10-10"
    assert client.post("/directives/new/", data).status_code == 302
    quarterly = DirectiveTask.objects.get(deadline_kind="recurring")
    assert quarterly.occurrences.order_by("due_on").first().due_on == datetime.date(2023, 12, 20)


@time_machine.travel(IMPORT_DAY, tick=False)
def test_the_missing_signer_warning_goes_once_the_signer_is_typed(reviewed) -> None:
    client, data = reviewed
    data["signer_name"] = ""
    page = client.post(CHECK_URL, data).content.decode()
    assert "Chưa có họ tên người ký." in page
    assert '<div id="warn-signer_name" class="field-warning-slot" hx-swap-oob="true"><p class="field-warning">' in page

    data["signer_name"] = "Lê Quang Tiến"
    data["signer_title"] = "PHÓ CHỦ TỊCH"
    page = client.post(CHECK_URL, data).content.decode()
    assert "Chưa có họ tên người ký." not in page
    assert "Chưa có chức vụ, thẩm quyền người ký" not in page
    assert '<div id="warn-signer_name" class="field-warning-slot" hx-swap-oob="true"></div>' in page


@time_machine.travel(IMPORT_DAY, tick=False)
def test_a_task_without_lead_or_with_half_a_recurrence_is_named(reviewed) -> None:
    client, data = reviewed
    data["tasks-1-leads"] = []
    data["tasks-3-frequency"] = ""
    page = client.post(CHECK_URL, data).content.decode()
    assert "Nhiệm vụ mục 2: chưa chọn cơ quan, xã chủ trì." in page
    assert "Nhiệm vụ mục 4: định kỳ chưa đủ chu kỳ, ngày hoặc tháng hạn." in page
    assert "Chưa đủ chu kỳ, ngày và tháng hạn để tính các kỳ hạn." in page


def test_the_review_page_shows_the_checks_before_any_change(dept: Departments, client_for) -> None:
    client = client_for(dept.p.province_officer_a)
    response = client.post("/directives/new/", {"action": "parse", "text": read_sample(THAI_NGUYEN)})
    page = response.content.decode()
    assert 'id="review-live"' in page and 'hx-post="/directives/new/check/"' in page
    assert "Chưa có chức vụ, thẩm quyền người ký" in page
    assert '<section id="recurrence-start-box" class="card recurrence-start" hidden' in page  # nothing recurring


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "police_a", "hotline", "admin", "nobody"])
def test_the_check_is_404_for_anyone_but_province_officers(dept: Departments, client_for, who: str) -> None:
    client = client_for(getattr(dept.p, who))
    assert client.post(CHECK_URL, {"doc_type": "cong_van"}).status_code == 404


def test_the_check_needs_a_login_and_a_post(dept: Departments, client_for) -> None:
    assert Client().post(CHECK_URL, {}).status_code == 302  # to the login page
    assert client_for(dept.p.province_officer_a).get(CHECK_URL).status_code == 405


@time_machine.travel(IMPORT_DAY, tick=False)
def test_the_api_counts_an_old_directive_from_the_import_date_unless_told(dept: Departments, client_for) -> None:
    client = client_for(dept.p.province_officer_a)
    body: dict[str, Any] = {
        "doc_type": "kế hoạch",
        "number": "45",
        "symbol": "KH-UBND",
        "issued_on": "2023-10-10",
        "tasks": [
            {
                "text": "Báo cáo hằng quý.",
                "lead": [{"agency": "SLDTBXH-19"}],
                "deadline": {"kind": "recurring", "frequency": "quarterly", "day": 20, "month": 3},
            }
        ],
    }
    assert client.post("/api/v1/directives/", body, content_type="application/json").status_code == 201
    first = TaskOccurrence.objects.filter(task__directive__number="45").order_by("due_on").first()
    assert first.due_on == datetime.date(2026, 3, 20)

    body |= {"number": "46", "recurrence_start": "2023-10-10"}
    assert client.post("/api/v1/directives/", body, content_type="application/json").status_code == 201
    first = TaskOccurrence.objects.filter(task__directive__number="46").order_by("due_on").first()
    assert first.due_on == datetime.date(2023, 12, 20)
