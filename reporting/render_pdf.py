"""The report as a PDF: the print template (templates/reporting/pdf/) rendered by WeasyPrint. The tables are
aggregates, so the document's size follows the number of areas and indicators, never the number of cases."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from reporting.document import ReportDocument


def render_pdf(document: ReportDocument) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango is slow and only report generation needs it

    html = render_to_string("reporting/pdf/report.html", {"doc": document})
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf
