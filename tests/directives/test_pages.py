"""The directive pages: paste → review → confirm (errors keep what was typed), the list, the directive page, the
task lists, the task page with its report form and review actions, the board; query counts stay flat."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from directives.models import Directive, DirectiveTask, ReportStatus, TaskReport
from directives.services import LeadChoice, do_report_task
from tests.directives.conftest import Departments, dated, make_directive, read_sample, review_data, task_input

THAI_NGUYEN = "thai-nguyen-5310-UBND-KGVX-2023.txt"
BINH_DINH = "binh-dinh-UBND-VX-2024-draft.txt"


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def _parse(client: Client, sample: str) -> Any:
    response = client.post("/directives/new/", {"action": "parse", "text": read_sample(sample)})
    assert response.status_code == 200
    return response


def test_paste_review_confirm_with_an_error_that_loses_nothing(dept: Departments, client_for) -> None:
    p = dept.p
    client = client_for(p.province_officer_a)
    assert client.get("/directives/new/").status_code == 200
    response = _parse(client, THAI_NGUYEN)
    page = response.content.decode()
    assert 'value="5310"' in page and 'value="UBND-KGVX"' in page and 'value="2023-10-10"' in page
    assert "Lê Quang Tiến" in page
    assert "Chưa có chức vụ, thẩm quyền người ký" in page  # what the text lacks, shown
    assert "cấp huyện không còn từ 01/7/2025" in page  # "UBND các huyện, thành phố": left for the officer
    tasks = response.context["tasks"]
    assert tasks.initial_form_count() == 5
    initial_leads = [f["leads"].value() for f in tasks.forms[:5]]
    assert initial_leads == [[], [f"a{dept.education.pk}"], [f"a{dept.police.pk}"], [f"a{dept.labour.pk}"], []]
    assert set(tasks.forms[3]["coordinating"].value()) == {
        str(dept.police.pk),
        str(dept.education.pk),
        str(dept.health.pk),
    }

    data = review_data(response)
    data["subject"] = "Tăng cường bảo vệ trẻ em (đã sửa)"
    data["tasks-4-leads"] = ["communes"]
    data["tasks-2-deadline_kind"] = "date"
    data["tasks-2-deadline_date"] = "2024-11-15"
    data["tasks-3-deadline_kind"] = "recurring"  # no frequency, no day: refused next to the fields
    response = client.post("/directives/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chọn ít nhất một cơ quan hoặc xã, phường chủ trì." in page  # task 1 has no lead yet
    assert "Chọn chu kỳ" in page and "Nhập ngày hạn trong tháng" in page
    assert "Tăng cường bảo vệ trẻ em (đã sửa)" in page  # nothing typed is lost
    assert 'value="2024-11-15"' in page
    assert "Chưa có chức vụ, thẩm quyền người ký" in page  # still missing after the round trip
    assert not Directive.objects.exists()

    data = review_data(response)
    data["tasks-0-leads"] = ["agencies"]  # "Các sở, ban, ngành…": every province-level agency
    data["tasks-3-frequency"] = "semiannual"
    data["tasks-3-deadline_day"] = "15"
    data["tasks-3-deadline_month"] = "5"
    data["tasks-1-DELETE"] = "on"  # the officer drops one proposed task
    response = client.post("/directives/new/", data)
    assert response.status_code == 302, re.findall(r'id="(id_[^"]*_error)"', response.content.decode())
    directive = Directive.objects.get()
    assert response["Location"] == f"/directives/{directive.pk}/"
    assert (directive.number, directive.symbol, directive.issued_on) == (
        "5310",
        "UBND-KGVX",
        datetime.date(2023, 10, 10),
    )
    assert directive.subject == "Tăng cường bảo vệ trẻ em (đã sửa)"
    assert directive.recipients == ["Các sở, ban, ngành của tỉnh", "UBND các huyện, thành phố"]
    assert directive.full_text.startswith("\n\n**ỦY BAN NHÂN DÂN")
    leads = list(
        directive.tasks.order_by("position", "pk").values_list("item_label", "lead_agency__code", "lead_commune__code")
    )
    # 5 province agencies for item 1; item 2 dropped; police; labour; both communes of the province.
    assert leads == [
        ("1", "CA-19", None), ("1", "SGDDT-19", None), ("1", "SLDTBXH-19", None), ("1", "STC-19", None),
        ("1", "SYT-19", None), ("3", "CA-19", None), ("4", "SLDTBXH-19", None), ("5", None, "05767"),
        ("5", None, "05713"),
    ]  # fmt: skip
    police_task = directive.tasks.get(item_label="3")
    assert police_task.deadline_date == datetime.date(2024, 11, 15)
    labour_task = directive.tasks.get(item_label="4")
    assert (labour_task.frequency, labour_task.deadline_day, labour_task.deadline_month) == ("semiannual", 15, 5)
    assert set(labour_task.coordinating.values_list("code", flat=True)) == {"CA-19", "SGDDT-19", "SYT-19"}

    page = client.get(f"/directives/{directive.pk}/").content.decode()
    assert "Công văn 5310/UBND-KGVX" in page and "0/2 đơn vị hoàn thành" in page


def test_the_draft_imports_with_its_blanks_empty_and_warned(dept: Departments, client_for) -> None:
    client = client_for(dept.p.province_officer_a)
    response = _parse(client, BINH_DINH)
    form = response.context["form"]
    assert form["number"].value() == "" and form["issued_on"].value() is None
    assert form["symbol"].value() == "UBND-VX"
    page = response.content.decode()
    assert "Văn bản không ghi số (dự thảo?)" in page and "Không tìm thấy ngày ban hành" in page
    tasks = response.context["tasks"]
    reporting = tasks.forms[10]
    assert reporting["deadline_kind"].value() == "recurring"
    assert (reporting["frequency"].value(), reporting["deadline_day"].value(), reporting["deadline_month"].value()) == (
        "semiannual",
        15,
        5,
    )
    assert reporting["report_to"].value() == str(dept.labour.pk)  # "gửi về Sở Lao động - Thương binh và Xã hội"
    assert "15/11/2024" in page  # the second deadline of that paragraph is pointed out


def test_the_paste_page_and_its_errors(dept: Departments, client_for) -> None:
    client = client_for(dept.p.province_officer_a)
    response = client.post("/directives/new/", {"action": "parse", "text": "   "})
    assert response.status_code == 200
    assert "Hãy dán nội dung văn bản." in response.content.decode()


@pytest.mark.parametrize("who", ["officer_a1", "police_a", "hotline", "admin", "nobody"])
def test_only_province_officers_import(dept: Departments, client_for, who: str) -> None:
    client = client_for(getattr(dept.p, who))
    assert client.get("/directives/new/").status_code == 404
    assert client.post("/directives/new/", {"action": "parse", "text": "x"}).status_code == 404


def _directive_with_tasks(dept: Departments) -> Directive:
    p = dept.p
    return make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.education), LeadChoice(agency=dept.police), rule=dated(datetime.date(2030, 6, 30))
        ),
        task_input(LeadChoice(all_communes=True), label="2", rule=dated(datetime.date(2020, 6, 30))),
    )


def test_the_lead_reports_and_the_officer_reviews_through_the_pages(dept: Departments, client_for) -> None:
    p = dept.p
    directive = _directive_with_tasks(dept)
    task = directive.tasks.get(lead_agency=dept.education)
    lead = client_for(dept.education_fp)
    page = lead.get(f"/directives/tasks/{task.pk}/").content.decode()
    assert "Gửi báo cáo" in page and "Chấp nhận báo cáo" not in page

    response = lead.post(f"/directives/tasks/{task.pk}/reports/", {"occurrence": task.occurrences.get().pk, "text": ""})
    assert response.status_code == 200 and "Lỗi:" in response.content.decode()
    fake = SimpleUploadedFile("bao-cao.pdf", b"not a pdf", content_type="application/pdf")
    response = lead.post(
        f"/directives/tasks/{task.pk}/reports/",
        {
            "occurrence": task.occurrences.get().pk,
            "text": "Đã triển khai tới các trường.",
            "completes": "on",
            "attachment": fake,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Loại tệp không được chấp nhận" in page and "Đã triển khai tới các trường." in page

    pdf = SimpleUploadedFile("Kết quả.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    response = lead.post(
        f"/directives/tasks/{task.pk}/reports/",
        {
            "occurrence": task.occurrences.get().pk,
            "text": "Đã triển khai tới các trường.",
            "completes": "on",
            "attachment": pdf,
        },
    )
    assert response.status_code == 302
    report = TaskReport.objects.get()
    download = lead.get(f"/directives/reports/{report.pk}/attachment/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 ok"
    assert "filename*=UTF-8''K%E1%BA%BFt%20qu%E1%BA%A3.pdf" in download["Content-Disposition"]

    officer = client_for(p.province_officer_a)
    page = officer.get(f"/directives/tasks/{task.pk}/").content.decode()
    assert "Chấp nhận báo cáo" in page and "Hoàn thành đúng hạn" in page
    response = officer.post(f"/directives/reports/{report.pk}/return/", {f"r{report.pk}-reason": ""})
    assert response.status_code == 200 and "Nêu lý do trả lại" in response.content.decode()
    assert lead.post(f"/directives/reports/{report.pk}/accept/").status_code == 404  # leads do not review
    response = officer.post(f"/directives/reports/{report.pk}/accept/")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_lists_board_and_pages_render_for_each_role(dept: Departments, client_for) -> None:
    p = dept.p
    directive = _directive_with_tasks(dept)
    officer = client_for(p.province_officer_a)
    page = officer.get("/directives/").content.decode()
    assert "5310/UBND-KGVX" in page and "Nhập văn bản mới" in page
    page = officer.get("/directives/board/?year=2030").content.decode()
    assert "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên" in page and "Phường Phan Đình Phùng" not in page
    page = officer.get("/directives/board/?year=2020").content.decode()
    overdue = "?commune=05713&amp;due_from=2020-01-01&amp;due_to=2020-12-31&amp;due_status=overdue"
    assert overdue in page  # the 2020 task of each commune is overdue
    page = officer.get("/directives/tasks/" + overdue.replace("&amp;", "&")).content.decode()
    assert "1 nhiệm vụ" in page

    commune = client_for(p.officer_a1)
    page = commune.get("/directives/tasks/mine/").content.decode()
    assert "1 nhiệm vụ" in page and "Quá hạn" in page
    page = commune.get(f"/directives/{directive.pk}/").content.decode()
    assert "Phường Phan Đình Phùng" in page and "Xã Đại Phúc" not in page and "Sở Giáo dục" not in page
    home = commune.get("/").content.decode()
    assert "Nhiệm vụ được giao" in home
    assert client_for(p.hotline).get("/directives/").status_code == 200
    assert "Chưa có văn bản" in client_for(p.hotline).get("/directives/").content.decode()


@pytest.mark.parametrize("count", [2, 12])
def test_list_pages_cost_the_same_for_few_and_many(
    dept: Departments, client_for, django_assert_num_queries, count
) -> None:
    p = dept.p
    for n in range(count):
        make_directive(
            p.province_officer_a,
            task_input(
                LeadChoice(agency=dept.education),
                LeadChoice(all_communes=True),
                rule=dated(datetime.date(2020, 1, n + 1)),
            ),
            number=str(100 + n),
        )
    officer = client_for(p.province_officer_a)
    officer.get("/")
    # 1 session, 2 user, 3 second-factor device, 4 unit, 5 count, 6 page of directives with their task and
    # overdue counts (subqueries).
    with django_assert_num_queries(6):
        officer.get("/directives/")
    # 1-4 as above, 5 the directory's agencies, 6 its communes, 7 count, 8 one page of tasks with status,
    # next due date and pending flag, 9 status counts (one GROUP BY).
    with django_assert_num_queries(9):
        officer.get("/directives/tasks/", {"status": "overdue"})
    # 1-4, 5 the board's aggregate, 6 pending reports, 7 upcoming due dates.
    with django_assert_num_queries(7):
        officer.get("/directives/board/")
    lead = client_for(dept.education_fp)
    lead.get("/")
    # 1 session, 2 user, 3 the user's agency and 4 unit (the header names both), 5 count, 6 page, 7 status counts.
    with django_assert_num_queries(7):
        lead.get("/directives/tasks/mine/")


def test_the_directive_page_costs_the_same_for_few_and_many_leads(
    dept: Departments, client_for, django_assert_max_num_queries
) -> None:
    p = dept.p
    directive = _directive_with_tasks(dept)
    task = DirectiveTask.objects.get(lead_agency=dept.education)
    do_report_task(acting_user=dept.education_fp, task=task, text="Đang làm")
    officer = client_for(p.province_officer_a)
    officer.get("/")
    with django_assert_max_num_queries(9):
        officer.get(f"/directives/{directive.pk}/")
    with django_assert_max_num_queries(10):
        officer.get(f"/directives/tasks/{task.pk}/")
