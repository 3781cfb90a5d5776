"""A correction of the case file never changes a locked report: the report keeps the figures and files it was
locked with, while the case's history keeps the old value for anyone who recomputes a figure "as of" the
report's cut-off."""

from __future__ import annotations

import pytest

from cases.history import value_as_of
from cases.models import Case, CaseStatus
from cases.services.corrections import do_correct_record
from reporting.models import ReportRun, ReportStatus
from tests.reporting.conftest import request_report

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_correction_leaves_a_locked_report_as_it_was(
    personas, client_for, known_year, eager_celery, report_storage, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = request_report(client_for(personas.officer_a1), unit="05713", kind="semiannual")
    run = ReportRun.objects.get(pk=response.json()["id"])
    assert client_for(personas.chair_a1).post(f"/api/v1/reports/{run.pk}/lock/").status_code == 200
    run.refresh_from_db()
    figures, pdf = run.figures, run.pdf.read()
    locked_at = run.figures_as_of

    case = Case.objects.filter(commune=personas.commune_a1).exclude(status=CaseStatus.DRAFT).first()
    assert case is not None
    old_sex = case.child.sex
    new_sex = "male" if old_sex != "male" else "female"
    with django_capture_on_commit_callbacks(execute=True):
        do_correct_record(
            acting_user=personas.officer_a1,
            case=case,
            record="child",
            record_id=case.child_id,
            expected_version=case.version,
            changes={"sex": new_sex},
            reason="Ghi nhầm giới tính khi tiếp nhận",
        )

    run.refresh_from_db()
    assert run.status == ReportStatus.LOCKED
    assert run.figures == figures
    run.pdf.open()
    assert run.pdf.read() == pdf
    # The history still says what the report counted at its cut-off.
    assert value_as_of(case, "child", case.child_id, "sex", new_sex, locked_at) == old_sex
