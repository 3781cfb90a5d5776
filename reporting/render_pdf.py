"""The report as a PDF: the print template (templates/reporting/pdf/) rendered by WeasyPrint. The tables are
aggregates, so the document's size follows the number of areas and indicators, never the number of cases."""

from __future__ import annotations

from django.template.loader import render_to_string

from childprotect.official_documents import render_pdf as render_official_pdf
from reporting.document import ReportDocument


def render_pdf(document: ReportDocument) -> bytes:
    return render_official_pdf(render_to_string("reporting/pdf/report.html", {"doc": document}))
