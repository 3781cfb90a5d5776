"""Issue 13, the pages that show children in panels: the home page's "Việc cần làm" groups (a step overdue with the
child's name, a referral's case number) and the intake page's drafts and duplicate candidates leave one LIST audit
row per page view, naming each panel that showed rows and how many, never a child's data; a page that shows no
child leaves none (a panel that is not shown is not a list that was read)."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from childprotect.home import todo_groups
from childprotect.models import AuditEvent
from childprotect.models.audit import AuditAction
from tests.cases.conftest import CASEFILE_CHILD, at, make_child_case, make_full_case, refer
from tests.cases.conftest import intake_form as _form
from tests.conftest import make_case
from tests.personas import Personas

pytestmark = pytest.mark.usefixtures("no_broker")

NAME = "Nguyễn Thị Hương"
LATER = datetime.timedelta(days=4)


def list_rows() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.LIST).order_by("id"))


def assert_no_child_data(event: AuditEvent, *names: str) -> None:
    text = json.dumps(event.details, ensure_ascii=False).lower()
    for name in (NAME, CASEFILE_CHILD, *names):
        assert name.lower() not in text, event.details
        assert name.split()[-1].lower() not in text, event.details  # not even the given name


def home_row(client: Any) -> AuditEvent | None:
    before = {event.pk for event in list_rows()}
    response = client.get(reverse("home"))
    assert response.status_code == 200
    new = [event for event in list_rows() if event.pk not in before]
    assert len(new) <= 1, [event.details for event in new]  # one row per page view, however many panels
    return new[0] if new else None


# --- The home page ---------------------------------------------------------------------------------------------


def test_the_officers_home_page_is_one_row_naming_each_group(personas: Personas, client_for) -> None:
    p = personas
    make_case(p.hotline, p.commune_a1, NAME)  # unassigned
    make_case(p.hotline, p.commune_a1, "Trần Văn Nam")
    make_case(p.officer_a1, p.commune_a1, "Lê Thị Mai", received_at=timezone.now() - datetime.timedelta(days=10))
    with at(timezone.now() + LATER):
        client = client_for(p.officer_a1)
        page = client.get(reverse("home")).content.decode()
        assert NAME in page and "Lê Thị Mai" in page  # the panel does show children's names
        shown = {group.key: len(group.items) for group in todo_groups(p.officer_a1)}
        assert shown["unassigned"] == 2 and shown["overdue"] == 1
        (event,) = list_rows()
        assert event.actor_id == p.officer_a1.pk
        assert event.unit_path == p.commune_a1.path
        assert event.details == {"list": "home", "query": {}, "rows": sum(shown.values()), "panels": shown}
        assert_no_child_data(event, "Trần Văn Nam", "Lê Thị Mai")
        assert home_row(client) is not None  # each view is a read


def test_the_chairs_home_page_names_the_plans_and_separations(personas: Personas, client_for) -> None:
    make_full_case(personas, until="plan")  # a plan awaiting the chair, a separation in force
    event = home_row(client_for(personas.chair_a1))
    assert event is not None
    assert event.details["list"] == "home"
    assert event.details["panels"]["plans"] == 1 and event.details["panels"]["separations"] == 1
    assert event.details["rows"] == sum(event.details["panels"].values())
    assert_no_child_data(event)


def test_the_agency_inbox_on_the_home_page(personas: Personas, client_for) -> None:
    refer(personas, make_case(personas.officer_a1, personas.commune_a1, NAME))
    event = home_row(client_for(personas.police_a))
    assert event is not None
    assert event.actor_id == personas.police_a.pk
    assert event.details == {"list": "home", "query": {}, "rows": 1, "panels": {"referrals-waiting": 1}}
    assert_no_child_data(event)


def test_the_province_officers_escalated_referrals_only(personas: Personas, client_for) -> None:
    refer(personas, make_case(personas.officer_a1, personas.commune_a1, NAME))
    with at(timezone.now() + LATER):
        groups = {group.key for group in todo_groups(personas.province_officer_a)}
        event = home_row(client_for(personas.province_officer_a))
    assert "referrals-overdue" in groups
    assert event is not None
    assert event.unit_path == personas.province_a.path
    # The reports and task reports to review name no child: never in the row.
    assert event.details["panels"] == {"referrals-overdue": 1} and event.details["rows"] == 1
    assert_no_child_data(event)


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "police_a", "province_officer_a", "national", "nobody"])
def test_a_home_page_that_shows_no_child_writes_no_row(personas: Personas, client_for, who: str) -> None:
    make_case(personas.officer_a2, personas.commune_a2, NAME)  # another commune's: nobody here sees it on the panel
    assert home_row(client_for(getattr(personas, who))) is None


def test_the_home_page_costs_the_same_for_one_or_many_entries(personas: Personas, client_for) -> None:
    p = personas

    def queries(user: Any) -> tuple[int, int]:
        client = client_for(user)
        client.get(reverse("healthz"))
        client.get(reverse("home"))  # the session's idle stamp written once, outside the count
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        inserts = [q for q in captured if q["sql"].startswith('INSERT INTO "childprotect_auditevent"')]
        return len(captured), len(inserts)

    make_case(p.hotline, p.commune_a1)
    refer(p, make_case(p.officer_a1, p.commune_a1))
    users = (p.officer_a1, p.chair_a1, p.police_a)
    few = {user.username: queries(user) for user in users}
    for _ in range(7):
        make_case(p.hotline, p.commune_a1)
        refer(p, make_case(p.officer_a1, p.commune_a1))
    many = {user.username: queries(user) for user in users}
    assert few == many
    assert {inserts for _, inserts in many.values()} == {1}  # the audit row: one INSERT, nothing read


# --- The intake page -------------------------------------------------------------------------------------------


def _draft(client: Any, name: str) -> None:
    assert client.post("/cases/new/", _form(full_name=name, action="draft")).status_code == 200


def test_the_intake_pages_drafts_are_one_row(personas: Personas, client_for) -> None:
    client = client_for(personas.officer_a1)
    assert client.get("/cases/new/").status_code == 200
    assert list_rows() == []  # no draft: no child shown
    _draft(client, NAME)
    _draft(client, "Trần Văn Nam")
    before = len(list_rows())  # the page after each save lists the drafts too
    page = client.get("/cases/new/").content.decode()
    assert NAME in page
    rows = list_rows()
    assert len(rows) == before + 1
    event = rows[-1]
    assert event.details == {"list": "intake", "query": {}, "rows": 2, "panels": {"drafts": 2}}
    assert_no_child_data(event, "Trần Văn Nam")


def test_the_candidates_shown_at_submit_are_a_search(personas: Personas, client_for) -> None:
    make_child_case(personas.officer_a1, personas.commune_a1, NAME, id_number="019314000123")
    client = client_for(personas.officer_a1)
    html = client.post("/cases/new/", _form(full_name="Nguyen Thi Huong", id_number="019314000123")).content.decode()
    assert NAME in html and 'name="child_choice"' in html
    (event,) = list_rows()
    assert event.details == {
        "list": "intake",
        "query": {"commune": "05713"},
        "rows": 1,
        "panels": {"duplicates": 1},
        "search": True,
    }
    assert_no_child_data(event, "Nguyen Thi Huong", "019314000123")
