"""The report as a PDF: the print template (templates/reporting/pdf/) rendered by WeasyPrint. The tables are
aggregates, so the document's size follows the number of areas and indicators, never the number of cases."""

from __future__ import annotations

from dataclasses import replace

from django.template.loader import render_to_string

from childprotect.official_documents import render_pdf as render_official_pdf
from reporting.document import ReportDocument


def render_pdf(document: ReportDocument) -> bytes:
    return render_official_pdf(render_to_string("reporting/pdf/report.html", {"doc": document}))


def render_pdfs(document: ReportDocument) -> tuple[bytes, bytes | None]:
    """The PDF as it is until the run is locked (marked "DỰ THẢO" on every page) and the one that replaces it
    at locking (unmarked); None for the second when the figures were taken before the data cut-off, since such
    a report stays a draft."""
    draft = render_pdf(replace(document, draft=True))
    return draft, None if document.provisional else render_pdf(replace(document, draft=False))
