"""The print page of a case (which forms can be printed now) and the PDF downloads.

Everything goes through cases/printing/documents.py (`access_*`: access rules, need-to-know, audit). URLs carry
the case's id, the form's code and the record's id only: no child data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cases.access import access_case
from cases.casefile import load_case_file
from cases.printing.documents import PrintedDocument, access_case_file_pdf, access_form_pdf
from cases.printing.forms import FORMS, printable_forms
from childprotect.http import AuthenticatedHttpRequest


def pdf_response(document: PrintedDocument) -> HttpResponse:
    response = HttpResponse(document.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def print_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = access_case(request.user, pk)
    casefile = load_case_file(case, user=request.user)
    available = printable_forms(casefile)
    printed_specs = {p.spec.slug for p in available}
    return render(
        request,
        "cases/print/page.html",
        {
            "case": case,
            "available": available,
            "missing": [spec for spec in FORMS if spec.slug not in printed_specs],
            "whole_file_url": reverse("cases:print-file", args=[case.pk]),
            "case_url": reverse("cases:detail", args=[case.pk]),
        },
    )


@login_required
@require_GET
def print_form(request: AuthenticatedHttpRequest, pk: int, form: str, record_id: int) -> HttpResponse:
    return pdf_response(access_form_pdf(request.user, pk, form, record_id))


@login_required
@require_GET
def print_file(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return pdf_response(access_case_file_pdf(request.user, pk))
