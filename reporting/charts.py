"""Charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere, printable.

Each chart is an <svg role="img"> whose <title> names it and whose <desc> says every value in words, so a screen
reader gets the whole chart; the table beside it holds the same numbers, each a link to its cases. Colours come
from CSS classes (static/css/reporting.css): the Content Security Policy forbids inline styles.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from reporting.figures.types import Table

WIDTH = 600
LABEL_WIDTH = 250
BAR_HEIGHT = 18
ROW_HEIGHT = 28
LABEL_CHARS = 30
TREND_WIDTH = 960


def _join(parts: Iterable[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((part,) for part in parts))


def _number(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{int(value):,}".replace(",", ".")


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _description(table: Table, column: int) -> str:
    parts = [f"{row.label}: {_number(row.cells[column].value)}" for row in table.rows if not row.total]
    return "; ".join(parts) + "."


def chart_for(table: Table) -> SafeString:
    if table.chart == "bar":
        return bar_chart(table)
    if table.chart == "stacked":
        return stacked_chart(table)
    if table.chart == "trend":
        return trend_chart(table)
    return SafeString("")


def bar_chart(table: Table, column: int | None = None) -> SafeString:
    """Horizontal bars, one per row (total rows left out), scaled to the largest value."""
    column = table.chart_column if column is None else column
    rows = [row for row in table.rows if not row.total]
    largest = table.chart_max or max([row.cells[column].value or 0 for row in rows] + [0])
    height = max(len(rows), 1) * ROW_HEIGHT + 8
    room = WIDTH - LABEL_WIDTH - 60
    parts: list[SafeString] = []
    for index, row in enumerate(rows):
        value = row.cells[column].value or 0
        y = 4 + index * ROW_HEIGHT
        length = 0 if largest == 0 else max(round(room * value / largest), 2 if value else 0)
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>'
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" rx="2"></rect>'
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                _short(row.label),
                LABEL_WIDTH,
                y,
                length,
                BAR_HEIGHT,
                LABEL_WIDTH + length + 6,
                y + BAR_HEIGHT - 4,
                _number(row.cells[column].value),
            )
        )
    return _svg(table, column, height, _join(parts))


def stacked_chart(table: Table) -> SafeString:
    """Horizontal bars, one per row (total rows left out), each made of the `stacked_columns` end to end
    (colour classes chart-part-0, -1, … in that order, named by the legend above), scaled to the longest bar;
    the values follow each bar in the legend's order."""
    columns = table.stacked_columns
    rows = [row for row in table.rows if not row.total]
    sums = [sum(row.cells[c].value or 0 for c in columns) for row in rows]
    largest = max([*sums, 0])
    legend_height = 24
    height = legend_height + max(len(rows), 1) * ROW_HEIGHT + 8
    room = WIDTH - LABEL_WIDTH - 90
    parts: list[SafeString] = []
    x = LABEL_WIDTH
    for index, column in enumerate(columns):
        label = table.columns[column].label
        parts.append(
            format_html(
                '<rect class="chart-part-{}" x="{}" y="4" width="12" height="12" rx="2"></rect>'
                '<text class="chart-label" x="{}" y="15">{}</text>',
                index,
                x,
                x + 16,
                label,
            )
        )
        x += 16 + 8 * len(label) + 18
    for row_index, (row, total) in enumerate(zip(rows, sums, strict=True)):
        y = legend_height + 4 + row_index * ROW_HEIGHT
        parts.append(
            format_html(
                '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                _short(row.label),
            )
        )
        start = float(LABEL_WIDTH)
        for index, column in enumerate(columns):
            value = row.cells[column].value or 0
            length = 0.0 if largest == 0 else room * value / largest
            if value:
                parts.append(
                    format_html(
                        '<rect class="chart-part-{}" x="{}" y="{}" width="{}" height="{}"></rect>',
                        index,
                        f"{start:.1f}",
                        y,
                        f"{max(length, 2):.1f}",
                        BAR_HEIGHT,
                    )
                )
            start += length
        values = " · ".join(_number(row.cells[c].value) for c in columns)
        parts.append(
            format_html(
                '<text class="chart-value" x="{}" y="{}">{}</text>',
                f"{start + 6:.1f}" if total else LABEL_WIDTH,
                y + BAR_HEIGHT - 4,
                values,
            )
        )
    description = "; ".join(
        f"{row.label}: " + ", ".join(f"{table.columns[c].label} {_number(row.cells[c].value)}" for c in columns)
        for row in rows
    )
    return _svg(table, None, height, _join(parts), description=description + ".")


def trend_chart(table: Table, column: int | None = None) -> SafeString:
    """Columns over time (one per row: a month), with the month under every n-th column."""
    column = table.chart_column if column is None else column
    rows = [row for row in table.rows if not row.total]
    largest = max([row.cells[column].value or 0 for row in rows] + [0])
    height, top, bottom, left = 240, 16, 40, 40
    plot = height - top - bottom
    slot = (TREND_WIDTH - left - 10) / max(len(rows), 1)
    every = max(1, -(-len(rows) // 12))
    parts: list[SafeString] = [
        format_html(
            '<line class="chart-axis" x1="{}" y1="{}" x2="{}" y2="{}"></line>'
            '<text class="chart-value" x="{}" y="{}" text-anchor="end">{}</text>'
            '<text class="chart-value" x="{}" y="{}" text-anchor="end">0</text>',
            left,
            top + plot,
            TREND_WIDTH - 10,
            top + plot,
            left - 6,
            top + 10,
            _number(largest),
            left - 6,
            top + plot,
        )
    ]
    for index, row in enumerate(rows):
        value = row.cells[column].value or 0
        bar = 0 if largest == 0 else plot * value / largest
        x = left + index * slot + slot * 0.15
        parts.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}"></rect>',
                f"{x:.1f}",
                f"{top + plot - bar:.1f}",
                f"{slot * 0.7:.1f}",
                f"{bar:.1f}",
            )
        )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text class="chart-label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x + slot * 0.35:.1f}",
                    top + plot + 18,
                    row.label,
                )
            )
    return _svg(table, column, height, _join(parts), width=TREND_WIDTH)


def _svg(
    table: Table, column: int | None, height: int, body: SafeString, *, width: int = WIDTH, description: str = ""
) -> SafeString:
    """The <svg>: named by its table (and the column it draws, if the table has several), described in words."""
    title = table.title
    if column is not None and len(table.columns) > 1:
        title = _("%(title)s – %(column)s") % {"title": table.title, "column": table.columns[column].label}
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-{}-title chart-{}-desc" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
        width,
        height,
        table.key,
        table.key,
        table.key,
        title,
        table.key,
        description or _description(table, column or 0),
        body,
    )
