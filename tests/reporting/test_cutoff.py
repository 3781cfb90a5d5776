"""The same figures on every re-run (issue 12): a report's figures are what the data said at its data cut-off.
Later statuses, steps, referral answers, corrections and late entries do not move them; a run before the cut-off
is provisional; late entries are counted where the schedule says, and the report says how many."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import CaseEvent, CaseEventType
from cases.services import workflow as wf
from cases.services.corrections import do_correct_record
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case, do_update_draft
from cases.services.referrals import do_accept_referral
from reporting.models import FrozenFigures, LateEntries, ReportRun, ReportSchedule
from reporting.periods import period_for
from reporting.services import freeze_period_figures
from reporting.snapshots import compute, decode, encode
from tests.cases.conftest import at, local, procedure_case, refer, referral_case, run
from tests.conftest import make_case
from tests.reporting.conftest import CALENDAR_YEAR, request_report

pytestmark = pytest.mark.django_db(transaction=False)

YEAR = 2025
BEFORE_CUTOFF = local(YEAR, 12, 31, 20, 0)
JUST_AFTER = local(YEAR + 1, 1, 1, 0, 20)  # the beat job's first run after the cut-off
LATER = local(YEAR + 1, 1, 12, 9, 0)


@pytest.fixture(autouse=True)
def no_broker():
    """Emails are queued after commit; no broker here."""
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


@pytest.fixture
def schedule(db) -> ReportSchedule:
    """The annual report of YEAR covers the calendar year; data cut off at the end of 31/12."""
    ReportSchedule.objects.filter(kind="annual").update(**CALENDAR_YEAR)
    return ReportSchedule.objects.get(kind="annual")


@pytest.fixture
def period_data(personas, schedule):
    """Cases of the period recorded through the real services: one in the procedure, one referred to the police,
    an accident."""
    p = personas
    with at(local(YEAR, 9, 8, 9, 0)):
        stepped = procedure_case(p)
        run(wf.INITIAL_ASSESSMENT, p.officer_a1, stepped, harm_level="medium", risk_level="low", serious_danger=False)
        referred = referral_case(p)
        referral = refer(p, referred)
        make_case(p.officer_a1, p.commune_a1, "Trần Văn Nam", kind="accident", accident=("drowning", "injury"))
        # A draft at the cut-off: recorded after it, it is a late entry.
        draft = do_create_case(acting_user=p.officer_a1, draft=True, **draft_inputs(p))
    return stepped, referred, referral, draft


def draft_inputs(p) -> dict:
    return {
        "child": ChildInput(full_name="Bản Nháp", commune=p.commune_a1, age_years=8, sex="male"),
        "reporter": ReporterInput(channel="phone"),
        "case": CaseInput(kind="abuse", received_at=local(YEAR, 9, 7, 8, 0), abuse_forms=["violence"], summary="Nháp"),
    }


def generate(client, django_capture_on_commit_callbacks) -> ReportRun:
    with django_capture_on_commit_callbacks(execute=True):
        response = request_report(client, year=YEAR)
    assert response.status_code == 202, response.content
    return ReportRun.objects.get(pk=response.json()["id"])


def sheet(run_: ReportRun, name: str) -> list[tuple]:
    run_.xlsx.open()
    book = load_workbook(io.BytesIO(run_.xlsx.read()), read_only=True)
    return list(book[name].iter_rows(values_only=True))


def change_everything(p, stepped, referred, referral, draft) -> None:
    """After the cut-off: a status change and new steps, a referral answer, corrections, late entries (a new case,
    a draft recorded)."""
    inputs = draft_inputs(p)
    do_update_draft(
        acting_user=p.officer_a1,
        case=draft,
        expected_version=draft.version,
        child=inputs["child"],
        case_data=inputs["case"],
        reporter=inputs["reporter"],
        submit=True,
    )
    run(
        wf.DETAILED_ASSESSMENT,
        p.officer_a1,
        stepped,
        harm_level="high",
        risk_level="high",
        child_condition="Trẻ sợ hãi",
        needs="Tư vấn tâm lý",
    )
    do_accept_referral(acting_user=p.police_a, referral=referral)
    referred.refresh_from_db()
    do_correct_record(
        acting_user=p.officer_a1,
        case=referred,
        record="child",
        record_id=referred.child_id,
        expected_version=referred.version,
        changes={"sex": "male"},
        reason="Ghi nhầm giới tính khi tiếp nhận",
    )
    referred.refresh_from_db()
    do_correct_record(
        acting_user=p.officer_a1,
        case=referred,
        record="case",
        record_id=referred.pk,
        expected_version=referred.version,
        changes={"abuse_forms": ["violence"], "abuse_subtypes": []},
        reason="Xác minh lại hình thức xâm hại",
    )
    # Received in the period, entered after its cut-off.
    make_case(p.officer_a1, p.commune_a1, "Lê Thị Muộn", received_at=local(YEAR, 11, 20, 10, 0))


def test_a_rerun_after_later_changes_gives_every_figure_of_the_locked_run(
    personas, client_for, period_data, eager_celery, report_storage, django_capture_on_commit_callbacks
) -> None:
    p = personas
    with at(BEFORE_CUTOFF):
        client = client_for(p.province_officer_a)
        draft = generate(client, django_capture_on_commit_callbacks)
        assert client.get(f"/api/v1/reports/{draft.pk}/").json()["is_provisional"] is True
    draft.refresh_from_db()
    assert draft.is_provisional and draft.frozen_at is None
    assert any(w["code"] == "before_cutoff" for w in draft.warnings)

    with at(JUST_AFTER):
        assert freeze_period_figures() >= 1  # beat: the province and its staffed communes
        frozen = FrozenFigures.objects.get(kind="annual", unit=p.province_a)
        assert frozen.changes_after_cutoff == 0
        client = client_for(p.province_officer_a)
        locked = generate(client, django_capture_on_commit_callbacks)
        locked.refresh_from_db()
        assert not locked.is_provisional and locked.frozen_at == frozen.frozen_at
        assert locked.figures_as_of == period_for("annual", YEAR).cutoff
        assert client.post(f"/api/v1/reports/{locked.pk}/lock/").status_code == 200

    with at(LATER):
        change_everything(p, *period_data)
        # The changes do move the live figures: the comparison below is not vacuous.
        live = compute("annual", p.province_a, period_for("annual", YEAR), period_for("annual", YEAR).cutoff)
        assert live.figures.flat() != decode(frozen.payload["figures"]).flat()
        client = client_for(p.province_officer_a)
        rerun = generate(client, django_capture_on_commit_callbacks)
        detail = client.get(f"/api/v1/reports/{rerun.pk}/").json()
    rerun.refresh_from_db()
    locked.refresh_from_db()
    assert rerun.version == locked.version + 1 and rerun.status == "ready"

    # Every figure, every indicator, every label and link: the same.
    assert rerun.figures == locked.figures
    assert rerun.figures["is_provisional"] is False
    # The XLSX (and the PDF, built from the same document) reads the same frozen figures.
    assert sheet(rerun, "Số liệu") == sheet(locked, "Số liệu")
    assert sheet(rerun, "Chỉ tiêu") == sheet(locked, "Chỉ tiêu")

    # The late entry is not counted, and the re-run says how many there are (listed as a correction).
    assert rerun.late_entries["policy"] == LateEntries.CORRECTION
    assert rerun.late_entries["count"] == 2 and rerun.late_entries["by_kind"] == {"abuse": 2}
    late = next(w for w in rerun.warnings if w["code"] == "recorded_after_cutoff")
    assert late["count"] == 2 and late["message"].startswith("Số liệu bổ sung: 2 vụ việc")
    assert locked.late_entries["count"] == 0
    assert detail["late_entries"]["count"] == 2 and detail["frozen_at"] is not None


def test_a_freeze_missed_by_beat_is_made_at_first_need_as_the_data_stood_at_the_cutoff(
    personas, client_for, period_data, eager_celery, report_storage, django_capture_on_commit_callbacks
) -> None:
    p = personas
    stepped, _referred, referral, draft = period_data
    period = period_for("annual", YEAR)
    with at(JUST_AFTER):
        on_time = compute("annual", p.province_a, period, period.cutoff)
        on_time_json = {
            **on_time.figures.as_json(),
            "indicators": [result.as_json() for result in on_time.indicators],
        }
    # The worker was down: nothing frozen. Statuses, steps, an answer, corrections and a late entry come in; the
    # first run puts the data back as it stood at the cut-off (reporting/rewind.py) and freezes exactly that.
    with at(LATER):
        change_everything(p, *period_data)
        live = compute("annual", p.province_a, period, period.cutoff)
        assert live.figures.flat() != on_time.figures.flat()
        first = generate(client_for(p.province_officer_a), django_capture_on_commit_callbacks)
    first.refresh_from_db()
    frozen = FrozenFigures.objects.get(kind="annual", unit=p.province_a)
    assert frozen.changes_after_cutoff == 0
    as_of = datetime.datetime.fromisoformat(on_time_json.pop("as_of"))
    assert datetime.datetime.fromisoformat(first.figures["as_of"]) == as_of == period.cutoff
    assert {key: first.figures[key] for key in on_time_json} == on_time_json
    assert not any(w["code"] == "frozen_late" for w in first.warnings)
    # Nothing of the rewind was kept.
    stepped.refresh_from_db()
    referral.refresh_from_db()
    draft.refresh_from_db()
    assert stepped.status == "detailed_assessment" and referral.status == "accepted" and draft.status == "received"

    # A change the rewind cannot put back (a transfer) is counted, and the report says so.
    with at(LATER + datetime.timedelta(days=1)):
        CaseEvent.objects.create(case=stepped, event_type=CaseEventType.TRANSFER, details={})
        with django_capture_on_commit_callbacks(execute=True):
            response = request_report(client_for(p.officer_a1), unit=p.commune_a1.code, year=YEAR)
    commune_run = ReportRun.objects.get(pk=response.json()["id"])
    commune_frozen = FrozenFigures.objects.get(kind="annual", unit=p.commune_a1)
    assert commune_frozen.changes_after_cutoff == 1
    warning = next(w for w in commune_run.warnings if w["code"] == "frozen_late")
    assert warning["count"] == 1


def test_late_entries_go_to_the_next_period_when_the_schedule_says_so(
    personas, client_for, schedule, eager_celery, report_storage, django_capture_on_commit_callbacks
) -> None:
    p = personas
    schedule.late_entries = LateEntries.NEXT_PERIOD
    schedule.save(update_fields=["late_entries"])
    with at(local(YEAR, 6, 1, 9, 0)):
        make_case(p.officer_a1, p.commune_a1, "Trong Kỳ", received_at=local(YEAR, 5, 30, 9, 0))
    with at(LATER):
        make_case(p.officer_a1, p.commune_a1, "Nhập Muộn", received_at=local(YEAR, 11, 20, 10, 0))
        this_year = generate(client_for(p.province_officer_a), django_capture_on_commit_callbacks)
    this_year.refresh_from_db()
    assert this_year.figures["totals"]["cases"] == 1
    assert this_year.late_entries["count"] == 1
    message = next(w for w in this_year.warnings if w["code"] == "recorded_after_cutoff")["message"]
    assert "được tính vào kỳ báo cáo sau" in message

    with at(local(YEAR + 1, 3, 1, 9, 0)):
        make_case(p.officer_a1, p.commune_a1, "Kỳ Sau", received_at=local(YEAR + 1, 2, 27, 9, 0))
    with at(local(YEAR + 2, 1, 2, 9, 0)):
        client = client_for(p.province_officer_a)
        with django_capture_on_commit_callbacks(execute=True):
            response = request_report(client, year=YEAR + 1)
        next_year = ReportRun.objects.get(pk=response.json()["id"])
        again = generate(client, django_capture_on_commit_callbacks)
    next_year.refresh_from_db()
    assert next_year.figures["totals"]["cases"] == 2  # its own case and the late entry of YEAR
    assert next_year.late_entries["carried_in"] == 1
    assert any(w["code"] == "late_entries_carried_in" for w in next_year.warnings)
    again.refresh_from_db()
    assert again.figures["totals"]["cases"] == 1  # YEAR's figures never take it


def test_beat_freezes_each_unit_once_and_only_soon_after_the_cutoff(personas, period_data) -> None:
    with at(BEFORE_CUTOFF):
        assert freeze_period_figures() == 0
    with at(JUST_AFTER):
        first = freeze_period_figures()
        assert first >= 2  # province A, commune A1 (and every other staffed unit)
        assert freeze_period_figures() == 0
    assert set(FrozenFigures.objects.values_list("data_cutoff", flat=True)) == {period_for("annual", YEAR).cutoff}
    with at(JUST_AFTER + datetime.timedelta(days=45)):
        FrozenFigures.objects.all().delete()
        assert freeze_period_figures() == 0  # too long ago: frozen at first need instead


def test_the_frozen_payload_thaws_into_the_same_objects(personas, period_data) -> None:
    period = period_for("annual", YEAR)
    with at(JUST_AFTER):
        computed = compute("annual", personas.province_a, period, period.cutoff)
    assert decode(encode(computed.figures)) == computed.figures
    assert decode(encode(computed.indicators)) == computed.indicators
    assert decode(encode(computed.figures)).scope.unit.full_name == personas.province_a.full_name
    assert timezone.is_aware(decode(encode(computed.figures)).scope.as_of)


def test_a_frozen_payload_names_only_classes_of_the_reporting_package() -> None:
    with pytest.raises(TypeError):
        decode({"dc": "subprocess:Popen", "f": {"d": {}}})
    with pytest.raises(TypeError):
        encode(object())


def test_the_admin_shows_the_late_entries_setting_and_the_frozen_figures(personas, client_for, period_data) -> None:
    with at(JUST_AFTER):
        freeze_period_figures()
        admin = client_for(personas.admin)
        schedule_page = admin.get(
            f"/admin/reporting/reportschedule/{ReportSchedule.objects.get(kind='annual').pk}/change/"
        )
        frozen_list = admin.get("/admin/reporting/frozenfigures/")
    assert schedule_page.status_code == 200 and 'name="late_entries"' in schedule_page.content.decode()
    assert frozen_list.status_code == 200
