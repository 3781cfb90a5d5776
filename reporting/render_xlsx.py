"""The report's tables as an XLSX workbook (openpyxl, write-only: rows are streamed to the file, never held):
a sheet about the report, one with every table of the PDF in the same order and numbering, one with the
indicators, and one with the data-quality warnings. Numbers are numbers, not text."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

from childprotect.official_documents import vn_date
from reporting.document import ReportDocument
from reporting.figures.types import Table

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet: Any, value: Any, *, font: Font | None = None) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if font is not None:
        cell.font = font
    return cell


def _write_table(sheet: Any, table: Table, heading: str) -> None:
    sheet.append([_cell(sheet, heading, font=BOLD)])
    sheet.append([_cell(sheet, ""), *[_cell(sheet, column.label, font=BOLD) for column in table.columns]])
    for row in table.rows:
        font = BOLD if row.total else None
        sheet.append([_cell(sheet, row.label, font=font), *[_cell(sheet, c.value, font=font) for c in row.cells]])
    if table.note:
        sheet.append([table.note])
    sheet.append([])


def render_xlsx(document: ReportDocument) -> bytes:
    run = document.run
    book = Workbook(write_only=True)

    about = book.create_sheet(_("Thông tin"))
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 70
    about.append([_cell(about, f"{document.title} – {document.subject}", font=TITLE)])
    for label, value in [
        (_("Đơn vị"), run.unit.full_name),
        (_("Mã đơn vị"), run.unit.code),
        (_("Kỳ báo cáo"), f"{vn_date(run.period_start)} – {vn_date(run.period_end)}"),
        (_("Chốt số liệu"), timezone.localtime(run.data_cutoff).strftime("%d/%m/%Y %H:%M")),
        (_("Hạn gửi"), vn_date(run.due_date)),
        (_("Phiên bản"), run.version),
        (_("Số văn bản"), document.number_line),
        (_("Ngày lập"), document.place_date),
    ]:
        about.append([_cell(about, label, font=BOLD), value])
    about.append([])
    for paragraph in document.narrative:
        about.append([_cell(about, ""), paragraph])

    data = book.create_sheet(_("Số liệu"))
    data.column_dimensions["A"].width = 48
    for item in document.numbered_sections:
        data.append([_cell(data, f"{item['number']}. {item['section'].title}", font=TITLE)])
        for entry in item["tables"]:
            _write_table(
                data, entry["table"], _("Bảng %(n)s. %(title)s") % {"n": entry["number"], "title": entry["table"].title}
            )

    indicators = book.create_sheet(_("Chỉ tiêu"))
    indicators.column_dimensions["A"].width = 48
    for result in document.indicators:
        indicators.append(
            [_cell(indicators, f"{result.indicator.code} – {result.indicator.name}", font=TITLE), result.total.value]
        )
        for table in result.tables:
            _write_table(indicators, table, table.title)

    warnings = book.create_sheet(_("Cảnh báo dữ liệu"))
    warnings.column_dimensions["A"].width = 90
    warnings.append(
        [_cell(warnings, _("Cảnh báo về chất lượng dữ liệu"), font=TITLE), _cell(warnings, _("Số vụ việc"), font=BOLD)]
    )
    for warning in document.warnings:
        warnings.append([warning["message"], warning["count"] or None])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
