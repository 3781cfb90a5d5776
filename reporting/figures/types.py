"""The shape every figure takes, whatever section computes it: sections of tables, rows of cells, each cell a
number and the (access-scoped) case list it counts. The dashboard page, its JSON, the PDF and the XLSX all
render these same objects, so the four can never disagree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from childprotect.models import AdministrativeUnit


@dataclass
class Cell:
    value: int | float | None
    url: str = ""


@dataclass
class Column:
    key: str
    label: str


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]
    total: bool = False  # a "Tổng cộng" row, set apart in tables and left out of charts


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[Row]
    # "bar" (horizontal bars of one column), "stacked" (horizontal bars of `stacked_columns` end to end),
    # "trend" (columns over time) or "" (table only).
    chart: str = "bar"
    chart_column: int = 0
    note: str = ""
    chart_max: float | None = None  # the bars' full length (100 for a percentage); default: the largest value
    stacked_columns: list[int] = field(default_factory=list)

    def value(self, row_key: str, column_key: str | None = None) -> int | float | None:
        index = 0 if column_key is None else [c.key for c in self.columns].index(column_key)
        for row in self.rows:
            if row.key == row_key:
                return row.cells[index].value
        raise KeyError(row_key)


@dataclass
class Section:
    key: str
    title: str
    order: int
    tables: list[Table]
    note: str = ""


@dataclass(frozen=True)
class Scope:
    """What the figures are about: a unit (None = the whole country, admins only), the days of receipt
    [start, end] (local calendar days, both included), optionally one kind of case; `as_of` is the moment
    "open" and "overdue" are judged at, and cases recorded after it are left out (a report's data cut-off).
    `late_since` (a report whose schedule counts late entries in the next period: the previous period's cut-off)
    also takes the cases received before `start` and recorded after that moment (reporting/periods.py)."""

    unit: AdministrativeUnit | None
    start: datetime.date
    end: datetime.date
    as_of: datetime.datetime
    kind: str = ""
    late_since: datetime.datetime | None = None


@dataclass
class Figures:
    scope: Scope
    sections: list[Section]
    totals: dict[str, int] = field(default_factory=dict)

    def table(self, key: str) -> Table:
        for section in self.sections:
            for table in section.tables:
                if table.key == key:
                    return table
        raise KeyError(key)

    def flat(self) -> dict[str, int | float | None]:
        """{"<table>.<row>.<column>": value} — the figures for machines (API, tests, XLSX checks)."""
        values: dict[str, int | float | None] = {}
        for section in self.sections:
            for table in section.tables:
                for row in table.rows:
                    for column, cell in zip(table.columns, row.cells, strict=True):
                        values[f"{table.key}.{row.key}.{column.key}"] = cell.value
        return values

    def as_json(self) -> dict[str, Any]:
        unit = self.scope.unit
        return {
            "unit": {"code": unit.code, "name": unit.full_name, "kind": unit.kind} if unit is not None else None,
            "from": self.scope.start.isoformat(),
            "to": self.scope.end.isoformat(),
            "kind": self.scope.kind or None,
            "as_of": self.scope.as_of.isoformat(),
            "totals": self.totals,
            "sections": [
                {
                    "key": section.key,
                    "title": section.title,
                    "note": section.note,
                    "tables": [
                        {
                            "key": table.key,
                            "title": table.title,
                            "note": table.note,
                            "columns": [{"key": c.key, "label": c.label} for c in table.columns],
                            "rows": [
                                {
                                    "key": row.key,
                                    "label": row.label,
                                    "total": row.total,
                                    "values": {
                                        c.key: cell.value for c, cell in zip(table.columns, row.cells, strict=True)
                                    },
                                    "links": {
                                        c.key: cell.url for c, cell in zip(table.columns, row.cells, strict=True)
                                    },
                                }
                                for row in table.rows
                            ],
                        }
                        for table in section.tables
                    ],
                }
                for section in self.sections
            ],
            "figures": self.flat(),
        }
