"""The report's tables as an XLSX workbook (openpyxl, write-only: rows are streamed to the file, never held):
a sheet about the report, one with every table of the PDF in the same order and numbering, one with the
indicators, and one with the data-quality warnings. Numbers are numbers, dates are dates (dd/mm/yyyy), and no
text is ever a formula (childprotect/spreadsheets.py). Every row of every table is here, the zero rows the PDF
folds into one line included."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from childprotect.spreadsheets import cell as _cell
from childprotect.spreadsheets import row as _row
from reporting.document import ReportDocument, row_heading
from reporting.figures.types import Table

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def _write_table(sheet: Any, table: Table, heading: str) -> None:
    sheet.append([_cell(sheet, heading, font=BOLD)])
    sheet.append(_row(sheet, [row_heading(table), *[column.label for column in table.columns]], font=BOLD))
    for row in table.rows:
        sheet.append(_row(sheet, [row.label, *[c.value for c in row.cells]], font=BOLD if row.total else None))
    if table.note:
        sheet.append(_row(sheet, [table.note]))
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
        (_("Từ ngày"), run.period_start),
        (_("Đến ngày"), run.period_end),
        (_("Chốt số liệu"), run.data_cutoff),
        (_("Hạn gửi"), run.due_date),
        (_("Phiên bản"), run.version),
        (_("Số văn bản"), document.number_line),
        (_("Ngày lập"), document.date),
    ]:
        about.append([_cell(about, label, font=BOLD), _cell(about, value)])
    if document.provisional:
        # The PDF says "DỰ THẢO" on every page; the workbook (which locking does not replace) says why, for good.
        about.append(_row(about, [_("Số liệu"), _("Dự thảo: số liệu lấy trước ngày chốt, sẽ thay đổi.")], font=BOLD))
    about.append([])
    for paragraph in document.narrative:
        about.append(_row(about, ["", paragraph]))

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
            [
                _cell(indicators, f"{result.indicator.code} – {result.indicator.name}", font=TITLE),
                _cell(indicators, result.total.value),
            ]
        )
        for table in result.tables:
            _write_table(indicators, table, table.title)

    warnings = book.create_sheet(_("Cảnh báo dữ liệu"))
    warnings.column_dimensions["A"].width = 90
    warnings.append(
        [_cell(warnings, _("Cảnh báo về chất lượng dữ liệu"), font=TITLE), _cell(warnings, _("Số vụ việc"), font=BOLD)]
    )
    for warning in document.warnings:
        warnings.append(_row(warnings, [warning["message"], warning["count"] or None]))

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
