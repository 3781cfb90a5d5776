"""The dashboard's question (unit, period, kind) and the archive's "generate a report" form. The same dashboard
form validates the HTML page's GET and the API's query string, so both answer bad input the same way."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseKind
from childprotect.validators import CalendarDateField
from childprotect.widgets import DATE_INPUT
from reporting.models import ReportKind

MAX_SPAN_DAYS = 366 * 10


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From 1 January of this year to today."""
    today = today or timezone.localdate()
    return today.replace(month=1, day=1), today


class DashboardForm(forms.Form):
    """GET parameters `unit`, `from`, `to`, `kind` (all optional)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = forms.CharField(label=_("Đơn vị"), required=False, max_length=8)
        self.fields["from"] = CalendarDateField(label=_("Từ ngày"), required=False, widget=DATE_INPUT)
        self.fields["to"] = CalendarDateField(label=_("Đến ngày"), required=False, widget=DATE_INPUT)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Loại vụ việc"), required=False, choices=[("", _("Tất cả")), *CaseKind.choices]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start_default, end_default = default_period()
        start = data.get("from") or start_default
        end = data.get("to") or (end_default if start <= end_default else start)
        if "from" in self.errors or "to" in self.errors:
            return data
        if end < start:
            self.add_error("to", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
        elif (end - start).days > MAX_SPAN_DAYS:
            self.add_error("to", _("Khoảng thời gian tối đa là 10 năm."))
        data["from"], data["to"] = start, end
        return data


def report_years(today: datetime.date | None = None) -> list[int]:
    year = (today or timezone.localdate()).year
    return list(range(year + 1, year - 6, -1))


class GenerateReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại báo cáo"), choices=ReportKind.choices)
    year = forms.TypedChoiceField(label=_("Năm báo cáo"), coerce=int)
    unit = forms.ChoiceField(label=_("Đơn vị"))
    document_number = forms.CharField(
        label=_("Số văn bản"),
        required=False,
        max_length=12,
        help_text=_("Có thể để trống để văn thư ghi số khi ban hành."),
    )
    remarks = forms.CharField(
        label=_("Đánh giá chung, kiến nghị"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Đưa vào mục cuối của báo cáo. Không ghi tên hay thông tin nhận dạng trẻ em."),
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = report_years()
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
        self.fields["year"].initial = timezone.localdate().year
        self.fields["unit"].choices = [(unit.code, unit.full_name) for unit in units]  # type: ignore[attr-defined]
        if len(units) == 1:
            self.fields["unit"].initial = units[0].code
