"""The case page as the case file (cases/casefile.py): every value typed on any step is readable, in the order of
the procedure, codes by their names; empty sections say what comes next and by when; the timeline summarises and
links; need-to-know holds; the number of queries does not grow with the number of steps, rows and notes."""

from __future__ import annotations

import html
import re
from unittest import mock

import pytest
from django.urls import reverse

from cases.casefile import load_case_file
from cases.models import Case
from cases.querysets import special_group_q
from tests.cases.conftest import CASEFILE_REPORTER, TYPED, make_full_case
from tests.personas import Personas


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


def page_text(response) -> str:
    """The page's visible text, tags stripped and whitespace collapsed, for assertions on what a reader sees."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_every_typed_value_is_on_the_case_page(personas: Personas, client_for) -> None:
    case = make_full_case(personas)
    response = client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    text = page_text(response)
    for name, value in TYPED.items():
        assert value in text, f"{name}: {value!r} is not on the case page"
    # Codes by their names: sub-type, measure, agency, the implied special group, levels.
    for shown in ("Dâm ô", "50.2.a – Chăm sóc y tế", "Công an tỉnh Thái Nguyên", "l) Bị xâm hại tình dục", "Cộng đồng"):
        assert shown in text
    assert "Mức độ nguy cơ Cao" in text and "Mức độ tổn hại Trung bình" in text
    # The reporter is shown to the commune's own officer.
    assert CASEFILE_REPORTER in text


def test_sections_follow_the_procedure(personas: Personas, client_for) -> None:
    case = make_full_case(personas)
    body = client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk])).content.decode()
    order = [
        "intake",
        "initial-assessment",
        "emergency",
        "detailed-assessment",
        "needs-meeting",
        "plan",
        "approval",
        "implementation",
        "review",
        "closure",
    ]
    positions = [body.index(f'id="{key}"') for key in order]
    assert positions == sorted(positions)


def test_empty_sections_say_what_comes_next_and_by_when(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    text = page_text(client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk])))
    assert "đánh giá nguy cơ ban đầu, mức độ tổn hại (Mẫu 02)" in text
    # The 12-hour emergency deadline (immediate danger at intake) and the 5-working-day plan deadline are named.
    cf = load_case_file(case, user=personas.officer_a1)
    emergency = next(d for d in cf.deadlines if d.step == "emergency")
    assert f"Hạn: {emergency.due_at.astimezone().strftime('%H:%M %d/%m/%Y')}" in text or "Hạn:" in text
    assert "trình Chủ tịch UBND xã trong 5 ngày làm việc" in text


def test_the_timeline_summarises_and_links_to_the_record(personas: Personas, client_for) -> None:
    case = make_full_case(personas)
    response = client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk]))
    text = page_text(response)
    assert "Đánh giá ban đầu (Mẫu 02): tổn hại Cao, nguy cơ Cao; trẻ có nguy cơ bị tổn hại nghiêm trọng" in text
    assert f"Phê duyệt kế hoạch chu kỳ 1, quyết định số {TYPED['approval_number']}" in text
    assert "Rà soát, đánh giá (Mẫu 06): đề nghị kết thúc kế hoạch" in text
    body = response.content.decode()
    initial = case.assessments.get(kind="initial")
    assert f'href="#assessment-{initial.pk}"' in body and f'id="assessment-{initial.pk}"' in body


def test_the_api_timeline_carries_summary_and_section(personas: Personas, client_for) -> None:
    case = make_full_case(personas)
    rows = client_for(personas.officer_a1).get(f"/api/v1/cases/{case.pk}/timeline/").json()
    plan = case.plans.get()
    approved = next(r for r in rows if r["to_status"] == "plan_approved")
    assert (
        approved["summary"].startswith("Phê duyệt kế hoạch chu kỳ 1") and approved["section"] == f"approval-{plan.pk}"
    )


def test_a_sexual_abuse_case_counts_in_group_l_without_a_ticked_box(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    assert case.special_groups == []
    assert Case.objects.filter(pk=case.pk).filter(special_group_q("l")).exists()
    listed = client_for(personas.officer_a1).get(reverse("cases:list"), {"special_group": "l"})
    assert case.case_number in listed.content.decode()


def test_outsiders_get_404(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    for outsider in (personas.officer_a2, personas.province_officer_b, personas.police_a, personas.nobody):
        assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_the_reporter_stays_hidden_from_who_may_not_see_it(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    # The province officer works the case file and sees who reported; the admin reads it without the identity.
    assert CASEFILE_REPORTER in page_text(
        client_for(personas.province_officer_a).get(reverse("cases:detail", args=[case.pk]))
    )
    admin_text = page_text(client_for(personas.admin).get(reverse("cases:detail", args=[case.pk])))
    assert CASEFILE_REPORTER not in admin_text and "Danh tính người báo tin được bảo mật" in admin_text


# The case page's queries, whatever the number of steps recorded, plans, plan rows, notes and events:
#  1-2 session, user · 3 the user's unit · 4 the case (with child, commune, province, officer) · 5 audit row (read)
#  6 reporter · 7 open deadlines · 8 plans · 9 their rows (prefetch; skipped while there is no plan) · 10 caregivers
#  11 assessments · 12 emergency measures · 13 meetings · 14 reviews · 15 notes · 16 attachments · 17 events
#  18 incident commune · 19 pending transfer · 20 referrals · 21 agencies the referral form offers
#  22 the child's residence commune · 23 the notifications this page answers, marked read (one UPDATE)
#  24 the assignment history · 25 the corrections (and the names of units and agencies they mention, if any)
#  26 the officers the assignment form offers
CASE_PAGE_QUERIES = 26


def test_the_case_page_query_count_does_not_grow_with_the_record(
    personas: Personas, client_for, django_assert_num_queries
) -> None:
    client = client_for(personas.officer_a1)
    received = make_full_case(personas, until="received")
    client.get(reverse("cases:detail", args=[received.pk]))  # the session's first request does more
    with django_assert_num_queries(CASE_PAGE_QUERIES - 1):  # no plan yet: no plan rows to fetch
        assert client.get(reverse("cases:detail", args=[received.pk])).status_code == 200
    for case in (
        make_full_case(personas, until="plan"),
        make_full_case(personas),
        make_full_case(personas, extra_items=12, extra_notes=15),
    ):
        with django_assert_num_queries(CASE_PAGE_QUERIES):
            assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
