"""Forms of referrals: the "Chuyển gửi" form of the case page (an agency picked from the directory, narrowed by
sector and area), and the agency's answers (decline, progress, complete) and the sender's withdrawal.

The sector and area only narrow the agency list (htmx swaps the list as they change; without JavaScript the
"Lọc danh sách" button does the same). The services check everything again.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Case, ReferralUrgency
from cases.services.referrals import TEXT_MAX_CHARS, response_hours
from childprotect.models import Agency, Sector
from childprotect.text.vietnamese import in_vietnamese_order
from childprotect.widgets import DATETIME_FORMATS, DATETIME_INPUT, SHORT_TEXT

AREA_COMMUNE, AREA_PROVINCE, AREA_ALL = "commune", "province", "all"
# Reasons and services pre-filled when the case page offers a referral to a sector (sexual abuse → police,
# injuries → health); the officer edits them before sending.
SUGGESTED_TEXT: dict[str, tuple[Any, Any]] = {
    Sector.POLICE: (
        _(
            "Vụ việc có dấu hiệu xâm hại tình dục trẻ em. Đề nghị cơ quan công an tiếp nhận tin báo, xác minh, "
            "ngăn chặn hành vi xâm hại và xử lý theo quy định (TTLT 01/2022)."
        ),
        _("Tiếp nhận tin báo; xác minh; ngăn chặn hành vi xâm hại; phối hợp giám định, thu thập chứng cứ."),
    ),
    Sector.HEALTH: (
        _("Trẻ bị thương tích. Đề nghị cơ sở y tế khám, điều trị và lưu hồ sơ bệnh án."),
        _("Khám, điều trị; hướng dẫn thu thập, bảo quản chứng cứ; chăm sóc sức khỏe tâm thần."),
    ),
}


def agencies_in(case: Case, *, sector: str, area: str) -> QuerySet[Agency]:
    """Active agencies of the directory, narrowed by sector and by area around the case (its commune, its
    province, or anywhere). Anywhere with no sector would list the whole country: then nothing, until a sector
    is chosen."""
    agencies = Agency.objects.active().select_related("unit")
    if sector:
        agencies = agencies.filter(sector=sector)
    if area == AREA_COMMUNE:
        agencies = agencies.within(case.commune)
    elif area == AREA_PROVINCE:
        agencies = agencies.within(case.province)
    elif not sector:
        return Agency.objects.none()
    return agencies.order_by("sector", "name", "code")


def grouped_choices(agencies: QuerySet[Agency]) -> list[Any]:
    """(sector label, [(code, name · unit)]) groups for a <select> with <optgroup>s."""
    labels = dict(Sector.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    for agency in in_vietnamese_order(agencies, tie=lambda agency: (agency.sector, agency.code)):
        groups.setdefault(agency.sector, []).append((agency.code, f"{agency.name} · {agency.unit.full_name}"))
    return [(labels.get(sector, sector), rows) for sector, rows in groups.items()]


def due_help() -> str:
    hours = {urgency: response_hours(urgency) for urgency in ReferralUrgency.values}
    return (
        gettext(
            "Bỏ trống để dùng thời hạn mặc định theo mức độ khẩn: ngay lập tức %(immediate)s giờ, khẩn %(urgent)s giờ, "
            "thông thường %(normal)s giờ."
        )
        % hours
    )


class ReferralForm(forms.Form):
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    area = forms.ChoiceField(label=_("Địa bàn"), required=False)
    agency = forms.ChoiceField(
        label=_("Cơ quan nhận"), error_messages={"invalid_choice": _("Chọn một cơ quan trong danh sách.")}
    )
    urgency = forms.ChoiceField(
        label=_("Mức độ khẩn"),
        choices=ReferralUrgency.choices,
        initial=ReferralUrgency.NORMAL,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Lý do chuyển gửi"), widget=SHORT_TEXT, max_length=TEXT_MAX_CHARS)
    services = forms.CharField(label=_("Dịch vụ đề nghị"), widget=SHORT_TEXT, max_length=TEXT_MAX_CHARS, required=False)
    due_at = forms.DateTimeField(
        label=_("Hạn phản hồi"), required=False, widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_referral_%s")
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["sector"].choices = [("", _("Tất cả lĩnh vực")), *Sector.choices]
        self.fields["area"].choices = [
            (AREA_COMMUNE, case.commune.full_name),
            (AREA_PROVINCE, case.province.full_name),
            (AREA_ALL, _("Toàn quốc (chọn lĩnh vực)")),
        ]
        self.fields["due_at"].help_text = due_help()
        sector, area = self.filters()
        agencies = agencies_in(case, sector=sector, area=area)
        choices = grouped_choices(agencies)
        self.fields["agency"].choices = [("", _("— Chọn cơ quan —")), *choices]
        flat = [code for _label, rows in choices for code, _name in rows]
        if not self.is_bound and sector and len(flat) == 1:
            self.initial.setdefault("agency", flat[0])  # the only agency of the chosen sector: chosen already
        if not flat:
            self.fields["agency"].help_text = _(
                "Không có cơ quan nào trong danh bạ khớp lĩnh vực và địa bàn đã chọn. Hãy mở rộng địa bàn."
            )
        # Narrowing the list re-renders the <select> only (cases/views/referrals.py referral_agencies).
        for name in ("sector", "area"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": reverse("cases:referral-agencies", args=[case.pk]),
                    "hx-trigger": "change",
                    "hx-target": "#referral-agency-field",
                    "hx-select": "#referral-agency-field",
                    "hx-swap": "outerHTML",
                    "hx-include": "#id_referral_sector, #id_referral_area",
                }
            )

    def filters(self) -> tuple[str, str]:
        source = self.data if self.is_bound else self.initial
        sector = source.get("sector") or ""
        area = source.get("area") or AREA_PROVINCE
        if sector not in Sector.values:
            sector = ""
        if area not in {AREA_COMMUNE, AREA_PROVINCE, AREA_ALL}:
            area = AREA_PROVINCE
        return sector, area

    def clean_due_at(self) -> Any:
        due_at = self.cleaned_data.get("due_at")
        if due_at is not None and due_at <= timezone.now():
            raise forms.ValidationError(_("Hạn phản hồi phải ở tương lai."))
        return due_at

    def clean_agency(self) -> Agency:
        agency = Agency.objects.active().filter(code=self.cleaned_data["agency"]).first()
        if agency is None:
            raise forms.ValidationError(_("Chọn một cơ quan trong danh sách."))
        return agency


def initial_for(case: Case, params: Any) -> dict[str, Any]:
    """The form's starting values from the query string (?sector=police&urgency=immediate), with the suggested
    reason and services of that sector."""
    initial: dict[str, Any] = {"area": AREA_PROVINCE, "urgency": ReferralUrgency.NORMAL}
    sector = params.get("sector", "")
    if sector in Sector.values:
        initial["sector"] = sector
        if sector in SUGGESTED_TEXT:
            reason, services = SUGGESTED_TEXT[sector]
            initial["reason"], initial["services"] = str(reason), str(services)
    if params.get("urgency") in ReferralUrgency.values:
        initial["urgency"] = params["urgency"]
    return initial


class AnswerForm(forms.Form):
    """A small form of the referral page; its ids carry its name, so several can share a page."""

    name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.name}_%s")
        super().__init__(*args, **kwargs)


class DeclineForm(AnswerForm):
    name = "decline"
    reason = forms.CharField(
        label=_("Lý do từ chối"),
        widget=SHORT_TEXT,
        max_length=TEXT_MAX_CHARS,
        help_text=_("Ví dụ: không thuộc thẩm quyền; đề nghị chuyển tới cơ quan khác."),
    )


class ProgressForm(AnswerForm):
    name = "progress"
    note = forms.CharField(label=_("Tiến độ thực hiện"), widget=SHORT_TEXT, max_length=TEXT_MAX_CHARS)


class CompleteForm(AnswerForm):
    name = "complete"
    outcome = forms.CharField(
        label=_("Kết quả"),
        widget=SHORT_TEXT,
        max_length=TEXT_MAX_CHARS,
        help_text=_("Kết quả xử lý, các dịch vụ đã cung cấp, đề xuất tiếp theo (nếu có)."),
    )


class WithdrawForm(AnswerForm):
    name = "withdraw"
    reason = forms.CharField(label=_("Lý do rút lại"), widget=SHORT_TEXT, max_length=TEXT_MAX_CHARS, required=False)


class TransferDeclineForm(AnswerForm):
    name = "transfer_decline"
    reason = forms.CharField(label=_("Lý do từ chối nhận"), widget=SHORT_TEXT, max_length=TEXT_MAX_CHARS)
