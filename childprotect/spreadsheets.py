"""Cells of the spreadsheets the system writes (openpyxl, write-only): every export goes through `cell()`, so

- text is always text: a string that a spreadsheet would read as a formula or a command (one beginning with "=",
  "+", "-", "@", a tab or a carriage return, the CSV/formula-injection characters) is stored as a text cell with
  Excel's quote prefix, never as a formula, and shows exactly what was typed;
- a date is a real date cell shown dd/mm/yyyy (a moment dd/mm/yyyy hh:mm, in local time), one format in every
  sheet, never a string such as "30/4/2027" or "05-05-2027";
- numbers stay numbers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def cell(sheet: Any, value: Any, *, font: Font | None = None) -> Cell:
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = DATE_FORMAT
    elif isinstance(value, str):
        written = WriteOnlyCell(sheet, value=value)
        if value.startswith(FORMULA_TRIGGERS):
            written.data_type = "s"  # openpyxl takes "=…" for a formula: store it as the text it is
            written.quotePrefix = True  # and Excel keeps it text when the cell is edited
    else:
        written = WriteOnlyCell(sheet, value=value)
    if font is not None:
        written.font = font
    return written


def row(sheet: Any, values: list[Any], *, font: Font | None = None) -> list[Cell]:
    """A row of cells, each through `cell()` (a cell already made is kept as it is)."""
    return [v if isinstance(v, Cell) else cell(sheet, v, font=font) for v in values]
