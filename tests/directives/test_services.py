"""The directive services: creating from a reviewed proposal (one task per lead, communes expanded, references
linked, duplicates and out-of-province choices refused), reporting, accepting and returning — with their audit
rows and notifications (no personal data)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from childprotect.errors import ServiceError
from childprotect.models import AuditEvent, Notification
from directives.models import DeadlineKind, Directive, DirectiveReference, ReportStatus, TaskOccurrence
from directives.recurrence import DeadlineRule
from directives.services import (
    LeadChoice,
    ReferenceInput,
    do_accept_report,
    do_report_task,
    do_return_report,
)
from tests.directives.conftest import Departments, dated, make_directive, task_input

D = datetime.date


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


def test_each_lead_gets_its_own_task_and_every_commune_of_the_province_one(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(
        p.province_officer_a,
        task_input(
            LeadChoice(agency=dept.labour),
            LeadChoice(all_communes=True),
            LeadChoice(commune=p.commune_a1),  # already among "all communes": not twice
            label="5",
            lead_as_written="UBND các xã, phường",
            coordinating=[dept.police, dept.education, dept.police],
            coordinating_as_written=["các cơ quan liên quan"],
            rule=dated(D(2024, 11, 15)),
            report_to=dept.labour,
        ),
    )
    tasks = list(directive.tasks.order_by("pk"))
    assert [(t.lead_agency_id, t.lead_commune_id) for t in tasks] == [
        (dept.labour.pk, None),
        (None, p.commune_a2.pk),  # communes in name order: Đại Phúc, then Phan Đình Phùng
        (None, p.commune_a1.pk),
    ]
    assert p.commune_b1.pk not in {t.lead_commune_id for t in tasks}  # another province's commune
    for task in tasks:
        assert task.item_label == "5" and task.unit_path == p.province_a.path
        assert set(task.coordinating.values_list("code", flat=True)) == {"CA-19", "SGDDT-19"}
        assert task.coordinating_as_written == ["các cơ quan liên quan"]
        assert list(task.occurrences.values_list("due_on", flat=True)) == [D(2024, 11, 15)]
    assert directive.province == p.province_a and directive.unit_path == p.province_a.path


def test_it_audits_and_notifies_the_leads_once_each(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(
        p.province_officer_a,
        task_input(LeadChoice(agency=dept.education), LeadChoice(commune=p.commune_a1)),
        task_input(LeadChoice(agency=dept.education), label="2"),
    )
    event = AuditEvent.objects.get(target_type="directives.directive", target_id=str(directive.pk))
    assert event.action == "create" and event.details["tasks"] == 3 and event.unit_path == p.province_a.path
    notified = Notification.objects.filter(kind="directive_tasks_new")
    assert sorted(n.recipient.username for n in notified) == ["chair_a1", "education_a", "officer_a1"]
    for note in notified:
        assert note.url == f"/directives/{directive.pk}/"
        assert "5310/UBND-KGVX" in note.title


def test_references_link_to_directives_in_the_system_both_ways(dept: Departments) -> None:
    p = dept.p
    # The child first: it cites 1740-CV/TU, which is not in the system yet.
    child = make_directive(
        p.province_officer_a,
        references=[
            ReferenceInput(
                text="Công văn số 1740-CV/TU ngày 14/7/2023", doc_type="công văn", number="1740", symbol="CV/TU"
            )
        ],
    )
    assert child.references.get().implements is None
    parent = make_directive(p.province_officer_a, number="1740", symbol="CV/TU", issued_on=D(2023, 7, 14))
    assert child.references.get().implements == parent
    # Another province's directive with the same number is never linked.
    other = Directive.objects.create(
        province=p.province_b,
        unit_path=p.province_b.path,
        doc_type="cong_van",
        number="9",
        symbol="X",
        created_by=p.province_officer_b,
    )
    grandchild = make_directive(
        p.province_officer_a, number="12", references=[ReferenceInput(text="Công văn 9/X", number="9", symbol="X")]
    )
    assert grandchild.references.get().implements is None and other.pk


def test_it_refuses_duplicates_foreign_leads_bad_rules_and_other_roles(dept: Departments) -> None:
    p = dept.p
    make_directive(p.province_officer_a, task_input(LeadChoice(agency=dept.education)))
    with pytest.raises(ValidationError) as exc:
        make_directive(p.province_officer_a, task_input(LeadChoice(agency=dept.education)))
    assert "đã có trong hệ thống" in exc.value.message_dict["number"][0]

    with pytest.raises(ValidationError) as exc:
        make_directive(
            p.province_officer_a,
            task_input(LeadChoice(agency=dept.police_b)),
            task_input(LeadChoice(commune=p.commune_b1), label="2"),
            task_input(label="3"),
            task_input(
                LeadChoice(agency=dept.labour),
                label="4",
                rule=DeadlineRule(kind=DeadlineKind.RECURRING, frequency="annual", day=31, month=4),
            ),
            number="77",
        )
    errors = exc.value.message_dict
    assert "tỉnh của bạn" in errors["tasks.0.leads"][0]
    assert "tỉnh của bạn" in errors["tasks.1.leads"][0]
    assert "Chọn ít nhất một" in errors["tasks.2.leads"][0]
    assert "không có ngày 31" in errors["tasks.3.deadline_day"][0]
    assert not Directive.objects.filter(number="77").exists()

    for who in (p.officer_a1, p.police_a, p.admin, p.hotline):
        with pytest.raises(ServiceError):
            make_directive(who, task_input(LeadChoice(agency=dept.education)), number="78")


def test_reporting_completing_accepting_and_returning(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(
        p.province_officer_a, task_input(LeadChoice(agency=dept.education), rule=dated(D(2030, 1, 1)))
    )
    task = directive.tasks.get()
    with pytest.raises(ServiceError):
        do_report_task(acting_user=p.police_a, task=task, text="…")  # not the lead
    with pytest.raises(ServiceError):
        do_report_task(acting_user=p.province_officer_a, task=task, text="…")
    with pytest.raises(ValidationError) as exc:
        do_report_task(acting_user=dept.education_fp, task=task, text="  ")
    assert "Nhập nội dung" in exc.value.message_dict["text"][0]

    pdf = SimpleUploadedFile("Báo cáo kết quả.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    report = do_report_task(
        acting_user=dept.education_fp, task=task, text="Đã triển khai xong.", completes=True, attachment=pdf
    )
    occurrence = TaskOccurrence.objects.get(task=task)
    assert occurrence.completion_report == report and occurrence.completed_on is not None
    assert (
        report.attachment_name == "Báo cáo kết quả.pdf"
        and "/" not in report.attachment.name.rsplit("reports/", 1)[1].split("/", 1)[1]
    )
    with pytest.raises(ValidationError) as exc:  # the period is already complete
        do_report_task(acting_user=dept.education_fp, task=task, text="Lần nữa", completes=True, occurrence=occurrence)
    assert "occurrence" in exc.value.message_dict
    assert Notification.objects.filter(kind="directive_report_submitted", recipient=p.province_officer_a).exists()

    with pytest.raises(ServiceError):
        do_accept_report(acting_user=p.province_officer_b, report=report)  # another province
    with pytest.raises(ValidationError):
        do_return_report(acting_user=p.province_officer_a, report=report, reason=" ")
    do_return_report(acting_user=p.province_officer_a, report=report, reason="Thiếu biểu mẫu số liệu.")
    report.refresh_from_db()
    occurrence.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason == "Thiếu biểu mẫu số liệu."
    assert occurrence.completed_on is None and occurrence.completion_report is None
    with pytest.raises(ServiceError):  # reviewed already
        do_accept_report(acting_user=p.province_officer_a, report=report)
    returned = Notification.objects.get(kind="directive_report_returned", recipient=dept.education_fp)
    assert (
        "Thiếu biểu mẫu" not in returned.body and "Thiếu biểu mẫu" not in returned.title
    )  # free text stays in the app

    again = do_report_task(acting_user=dept.education_fp, task=task, text="Đã bổ sung.", completes=True)
    do_accept_report(acting_user=p.province_officer_a, report=again)
    again.refresh_from_db()
    assert again.status == ReportStatus.ACCEPTED and again.reviewed_by == p.province_officer_a
    actions = list(
        AuditEvent.objects.filter(target_type="directives.taskreport")
        .order_by("pk")
        .values_list("action", "details__review")
    )
    assert actions == [("create", None), ("update", "returned"), ("create", None), ("update", "accepted")]


def test_a_renamed_executable_is_refused(dept: Departments) -> None:
    p = dept.p
    directive = make_directive(p.province_officer_a, task_input(LeadChoice(agency=dept.education)))
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        do_report_task(acting_user=dept.education_fp, task=directive.tasks.get(), text="Kèm tệp", attachment=fake)
    assert "Loại tệp không được chấp nhận" in exc.value.message_dict["attachment"][0]
    assert not DirectiveReference.objects.exists()
