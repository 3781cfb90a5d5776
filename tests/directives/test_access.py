"""The access matrix of directives: who sees, reports on and reviews which task — and the same 404 for a task
that is out of reach as for one that does not exist, on the pages and in the API."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directives.models import Directive, DirectiveTask
from directives.services import LeadChoice
from tests.directives.conftest import Departments, dated, make_directive, task_input

MISSING = 999_999


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def directive(dept: Departments) -> Directive:
    """Item 1: police leads, education coordinates. Item 2: commune A1 leads."""
    p = dept.p
    return make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.police), coordinating=[dept.education], rule=dated(datetime.date(2030, 1, 1))
        ),
        task_input(LeadChoice(commune=p.commune_a1), label="2"),
        signed_file=SimpleUploadedFile("5310.pdf", b"%PDF-1.4 signed", content_type="application/pdf"),
    )


# Who sees the police task (read), who may report on it, who may see the directive at all.
READERS = {
    "province_officer_a": (True, False, True),
    "police_a": (True, True, True),  # the lead
    "education_fp": (True, False, True),  # coordinating: reads, does not report
    "labour_fp": (False, False, False),  # an agency with no part in it
    "officer_a1": (False, False, True),  # sees the directive through its own commune task
    "officer_a2": (False, False, False),
    "province_officer_b": (False, False, False),
    "police_b_fp": (False, False, False),
    "hotline": (False, False, False),
    "nobody": (False, False, False),
    "admin": (True, False, True),
}


def _user(dept: Departments, who: str):
    return getattr(dept, who, None) or getattr(dept.p, who)


@pytest.mark.parametrize("who", list(READERS))
def test_the_police_task_is_seen_and_reported_on_by_exactly_these(
    dept: Departments, directive: Directive, client_for, who: str
) -> None:
    sees_task, reports, sees_directive = READERS[who]
    client = client_for(_user(dept, who))
    task = directive.tasks.get(lead_agency=dept.police)
    expected = 200 if sees_task else 404
    assert client.get(f"/directives/tasks/{task.pk}/").status_code == expected
    assert client.get(f"/api/v1/directive-tasks/{task.pk}/").status_code == expected
    assert client.get(f"/api/v1/directive-tasks/{task.pk}/reports/").status_code == expected
    page_post = client.post(f"/directives/tasks/{task.pk}/reports/", {"text": "x", "occurrence": "1"})
    api_post = client.post(
        f"/api/v1/directive-tasks/{task.pk}/reports/", {"text": "x"}, content_type="application/json"
    )
    if reports:
        assert api_post.status_code == 201
    else:
        assert page_post.status_code == 404 and api_post.status_code == 404
    expected = 200 if sees_directive else 404
    assert client.get(f"/directives/{directive.pk}/").status_code == expected
    assert client.get(f"/api/v1/directives/{directive.pk}/").status_code == expected
    assert client.get(f"/directives/{directive.pk}/signed-file/").status_code == expected
    # A missing id answers exactly like a forbidden one.
    assert client.get(f"/directives/tasks/{MISSING}/").status_code == 404
    assert client.get(f"/api/v1/directive-tasks/{MISSING}/").status_code == 404
    assert client.get(f"/directives/{MISSING}/").status_code == 404


def test_commune_tasks_belong_to_the_communes_officers_and_chair(
    dept: Departments, directive: Directive, client_for
) -> None:
    p = dept.p
    task = directive.tasks.get(lead_commune=p.commune_a1)
    for who in (p.officer_a1, p.chair_a1):
        response = client_for(who).post(
            f"/api/v1/directive-tasks/{task.pk}/reports/", {"text": "Đã rà soát."}, content_type="application/json"
        )
        assert response.status_code == 201
    assert client_for(p.officer_a2).get(f"/directives/tasks/{task.pk}/").status_code == 404
    # The commune officer's lists hold its own task only.
    listed = client_for(p.officer_a1).get("/api/v1/directive-tasks/").json()
    assert [row["id"] for row in listed["results"]] == [task.pk]


def test_only_the_provinces_officers_review(dept: Departments, directive: Directive, client_for) -> None:
    p = dept.p
    task = directive.tasks.get(lead_agency=dept.police)
    report_id = (
        client_for(p.police_a)
        .post(
            f"/api/v1/directive-tasks/{task.pk}/reports/",
            {"text": "Xong", "completes": True},
            content_type="application/json",
        )
        .json()["id"]
    )
    for who in (p.police_a, dept.education_fp, p.admin, p.province_officer_b, p.officer_a1):
        assert client_for(who).post(f"/directives/reports/{report_id}/accept/").status_code == 404
        assert client_for(who).post(f"/api/v1/directive-reports/{report_id}/accept/").status_code == 404
    assert client_for(dept.education_fp).get(f"/api/v1/directive-reports/{report_id}/").status_code == 200
    assert client_for(dept.labour_fp).get(f"/api/v1/directive-reports/{report_id}/").status_code == 404
    assert client_for(p.province_officer_a).post(f"/api/v1/directive-reports/{report_id}/accept/").status_code == 200


def test_querysets_fail_closed(dept: Departments, directive: Directive) -> None:
    p = dept.p
    assert DirectiveTask.objects.visible_to(p.nobody).count() == 0
    assert DirectiveTask.objects.visible_to(p.hotline).count() == 0
    assert Directive.objects.visible_to(p.nobody).count() == 0
    p.police_a.is_active = False
    assert DirectiveTask.objects.visible_to(p.police_a).count() == 0
    assert DirectiveTask.objects.assigned_to(p.police_a).count() == 0
    # A focal point whose agency coordinates two tasks and leads none sees them once each (no join duplicates).
    make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.labour), coordinating=[dept.education, dept.police, dept.health]),
        number="77",
    )
    seen = list(DirectiveTask.objects.visible_to(dept.education_fp).values_list("pk", flat=True))
    assert len(seen) == len(set(seen)) == 2
