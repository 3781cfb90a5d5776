"""The report archive: the list of runs the user may see, the "generate" form, one run's page (status, data
warnings, the figures it holds, review and lock), and the downloads — each through `access_report_run`
(404 for missing and forbidden alike) and audited as an export."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from childprotect.models import AdministrativeUnit
from childprotect.models.units import UnitKind
from childprotect.notifications import do_mark_read_on_open
from reporting.access import (
    access_dashboard_unit,
    access_report_run,
    can_generate_report,
    can_lock_report,
    can_review_report,
    can_use_reporting,
    find_unit,
    is_statistics_only,
    report_units_for,
    sees_whole_country,
)
from reporting.forms import GenerateReportForm
from reporting.models import ReportRun, ReportStatus
from reporting.periods import period_for
from reporting.quality import shown_warnings
from reporting.services import do_lock_report, do_request_report, do_review_report, record_download

PAGE_SIZE = 25
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _archive_context(request: AuthenticatedHttpRequest, form: GenerateReportForm) -> dict[str, Any]:
    runs = ReportRun.objects.visible_to(request.user).select_related("unit", "generated_by")
    # ?status=ready: the runs waiting for review (the "Việc cần làm" panel links here, reporting/home.py).
    status = request.GET.get("status", "")
    kept: dict[str, str] = {}
    if status in ReportStatus.values:
        runs = runs.filter(status=status)
        kept["status"] = status
    # Who reads every province's reports (admins, the national role) narrows the archive to one province.
    provinces: list[AdministrativeUnit] = []
    chosen = ""
    if sees_whole_country(request.user):
        provinces = list(AdministrativeUnit.objects.current().filter(kind=UnitKind.PROVINCE).order_by("name"))
        unit = find_unit(request.GET.get("unit", ""))
        if unit is not None:
            runs = runs.filter(unit_path__startswith=unit.path)
            chosen = kept["unit"] = unit.code
    page = Paginator(runs.order_by("-requested_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    year = form.fields["year"].initial
    periods = [period_for(kind, year) for kind in ("semiannual", "annual")]
    return {
        "page": page,
        "form": form,
        "periods": periods,
        "can_generate": bool(form.fields["unit"].choices),  # type: ignore[attr-defined]
        "provinces": provinces,
        "chosen_unit": chosen,
        "status": kept.get("status", ""),
        "query": urlencode(kept),
    }


@login_required
@require_GET
def archive(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_use_reporting(request.user):
        raise not_found()
    form = GenerateReportForm(units=report_units_for(request.user))
    return render(request, "reporting/archive.html", _archive_context(request, form))


@login_required
@require_POST
def generate(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not can_use_reporting(user):
        raise not_found()
    form = GenerateReportForm(request.POST, units=report_units_for(user))
    if form.is_valid():
        unit = access_dashboard_unit(user, form.cleaned_data["unit"])
        if unit is None or not can_generate_report(user, unit):
            raise not_found()
        with refusals_on(form) as refused:
            run = do_request_report(
                acting_user=user,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                unit=unit,
                document_number=form.cleaned_data["document_number"],
                remarks=form.cleaned_data["remarks"],
            )
        if not refused:
            messages.success(request, _("Đã gửi yêu cầu lập báo cáo. Báo cáo sẽ sẵn sàng sau ít phút."))
            return redirect(reverse("reporting:run", args=[run.pk]))
    return render(request, "reporting/archive.html", _archive_context(request, form), status=400)


def _run_context(request: AuthenticatedHttpRequest, run: ReportRun) -> dict[str, Any]:
    user = request.user
    finished = run.status in {ReportStatus.READY, ReportStatus.REVIEWED, ReportStatus.LOCKED}
    return {
        "run": run,
        "sections": (run.figures or {}).get("sections", []),
        "indicators": (run.figures or {}).get("indicators", []),
        "warnings": shown_warnings(run.warnings or [], cutoff=run.data_cutoff),
        "finished": finished,
        "working": run.status in {ReportStatus.PENDING, ReportStatus.RUNNING},
        "can_review": run.status == ReportStatus.READY and can_review_report(user, run),
        "can_lock": run.status in {ReportStatus.READY, ReportStatus.REVIEWED} and can_lock_report(user, run),
        "can_regenerate": can_generate_report(user, run.unit),
        # The national role reads the report, not the lists behind its figures (reporting/access.py).
        "statistics_only": is_statistics_only(user),
    }


@login_required
@require_GET
def run_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = access_report_run(request.user, pk)
    do_mark_read_on_open(request.user, request.path, run)
    return render(request, "reporting/run.html", _run_context(request, run))


@login_required
@require_POST
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = access_report_run(request.user, pk)
    with refusals_on(request=request) as refused:
        do_review_report(acting_user=request.user, run=run, note=request.POST.get("note", "")[:2000])
    if refused:
        return render(request, "reporting/run.html", _run_context(request, run), status=400)
    messages.success(request, _("Đã ghi nhận rà soát báo cáo."))
    return redirect(reverse("reporting:run", args=[run.pk]))


@login_required
@require_POST
def lock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    run = access_report_run(request.user, pk)
    with refusals_on(request=request) as refused:
        do_lock_report(acting_user=request.user, run=run)
    if refused:
        return render(request, "reporting/run.html", _run_context(request, run), status=400)
    messages.success(request, _("Đã khóa báo cáo. Báo cáo đã khóa không thay đổi được nữa."))
    return redirect(reverse("reporting:run", args=[run.pk]))


def file_response(run: ReportRun, file_format: str) -> FileResponse:
    """The stored file, named by numbers only (no unit name or child data in a header)."""
    stored = run.pdf if file_format == "pdf" else run.xlsx
    if not stored:
        raise not_found()
    name = f"bao-cao-{run.kind}-{run.year}-{run.unit.code}-v{run.version}.{file_format}"
    response = FileResponse(stored.open("rb"), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def download(request: AuthenticatedHttpRequest, pk: int, file_format: str) -> FileResponse:
    if file_format not in CONTENT_TYPES:
        raise not_found()
    run = access_report_run(request.user, pk)
    response = file_response(run, file_format)
    record_download(acting_user=request.user, run=run, file_format=file_format)
    return response
