"""The FilterSets of the case app: the case list (HTML `q=`, API `search=`), the referral list (the page's
dashboard links, the API's filters) and the transfer list. Each is a thin adapter: the query rules they apply
(search, order, deadlines, ages, ethnicity, dates) live in cases/querysets.py, the choices a user may filter by
in cases/access.py.

Finding cases: one FilterSet for the HTML case list (`q=`) and the API (`search=`), on indexed columns only.

Every filter narrows a queryset that already went through `Case.objects.visible_to(user)`; the choices offered
(communes, officers) are themselves limited to the user's jurisdiction, so a filter never reveals anything the
list would not. Index use at scale (see cases/models/case.py):

- jurisdiction: `unit_path` prefix (visible_to) · status: `case_status_unit_idx` · abuse form: GIN on the array
- due soon / overdue: `case_next_deadline_scope_idx` · received date range: `case_unit_received_idx`
- search: `ChildNameKey.key` (B-tree, word starts of the name), `case_number` (unique), `Child.id_number`
- order: `Child.name_sort` (ASCII key, COLLATE "C": Á after A, Đ after D on any PostgreSQL build) or receipt time.

The statistical filters (sex, age at receipt, ethnicity, setting, accident, special group, sub-type, province,
next step, `recorded`) exist so that every figure of the dashboard and the periodic reports links to exactly the
cases it counts (reporting/figures/): each narrows the jurisdiction's already-small set, never the whole table.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import communes_for, officers_for, provinces_for
from cases.ethnicity import ETHNIC_GROUPS_QD121, KINH_CODE
from cases.models import (
    AbuseForm,
    AbuseSubtype,
    AccidentOutcome,
    AccidentType,
    Case,
    CaseKind,
    CaseStatus,
    CaseTransfer,
    DeadlineStep,
    Referral,
    ReferralStatus,
    ReferralUrgency,
    Setting,
    Sex,
    TransferStatus,
)
from cases.models.choices import ANY_GROUP, SPECIAL_GROUPS
from cases.querysets import (
    UNKNOWN,
    age_between,
    due_condition,
    ethnicity_q,
    order_cases,
    plan_waiting_q,
    received_between,
    search_cases,
    separation_in_force_q,
    special_group_q,
)
from childprotect.filters import CalendarDateFilter, ChoicesInFilter
from childprotect.widgets import DATE_INPUT, VietnameseOrderIterator


def ethnicity_choices() -> list[tuple[str, Any]]:
    """The ethnicity filter's choices, by name: Kinh, all minorities, not recorded, then each group of QĐ 121."""
    return [
        ("kinh", _("Kinh")),
        ("minority", _("Dân tộc thiểu số (mọi dân tộc trừ Kinh)")),
        (UNKNOWN, _("Chưa ghi dân tộc")),
        *((code, name) for code, name in ETHNIC_GROUPS_QD121 if code != KINH_CODE),
    ]


class EthnicityChoiceField(django_filters.fields.ChoiceField):
    """Offers the groups by name; also takes the "<code system>:<code>" values the reports link with for children
    coded in another list (ethnicity_q)."""

    def valid_value(self, value: Any) -> bool:
        return super().valid_value(value) or ethnicity_q(str(value)) is not None


class EthnicityFilter(django_filters.ChoiceFilter):
    field_class = EthnicityChoiceField


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class UnitChoiceField(django_filters.fields.ModelChoiceField):
    iterator = VietnameseOrderIterator


class UnitChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter by unit whose select lists the units in Vietnamese alphabetical order."""

    field_class = UnitChoiceField


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerChoiceField


class CaseFilter(django_filters.FilterSet):
    """The case list's filters. HTML pages use this class (search parameter `q`); the API uses CaseApiFilter,
    the same filters with the search parameter named `search`."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Tìm kiếm"),
        help_text=_("Tên trẻ (có hoặc không dấu), số hồ sơ hoặc số định danh cá nhân."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = ChoicesInFilter(choices=CaseStatus.choices, label=_("Trạng thái"), widget=forms.CheckboxSelectMultiple)
    open = django_filters.BooleanFilter(
        method="filter_open",
        label=_("Chỉ hồ sơ đang xử lý"),
        widget=forms.CheckboxInput,
    )
    abuse_form = django_filters.ChoiceFilter(
        choices=AbuseForm.choices, method="filter_abuse_form", label=_("Hình thức xâm hại"), empty_label=_("Tất cả")
    )
    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label=_("Loại vụ việc"), empty_label=_("Tất cả"))
    commune = UnitChoiceFilter(
        queryset=lambda request: communes_for(getattr(request, "user", None)),
        to_field_name="code",
        label=_("Xã, phường"),
        field_name="commune",
        empty_label=_("Tất cả"),
    )
    officer = OfficerFilter(
        queryset=lambda request: officers_for(getattr(request, "user", None)),
        field_name="assigned_officer",
        label=_("Cán bộ phụ trách"),
        empty_label=_("Tất cả"),
    )
    unassigned = django_filters.BooleanFilter(
        method="filter_unassigned", label=_("Chưa phân công (hàng chờ của xã)"), widget=forms.CheckboxInput
    )
    plan = django_filters.ChoiceFilter(
        choices=[("submitted", _("Kế hoạch chờ phê duyệt")), ("returned", _("Kế hoạch bị trả lại"))],
        method="filter_plan",
        label=_("Kế hoạch"),
        empty_label=_("Tất cả"),
    )
    separation = django_filters.ChoiceFilter(
        choices=[("active", _("Đang tạm thời cách ly"))],
        method="filter_separation",
        label=_("Tạm thời cách ly"),
        empty_label=_("Tất cả"),
    )
    due = django_filters.ChoiceFilter(
        choices=[("soon", _("Sắp đến hạn")), ("today", _("Đến hạn hôm nay")), ("overdue", _("Quá hạn"))],
        method="filter_due",
        label=_("Thời hạn"),
        empty_label=_("Tất cả"),
    )
    received_from = CalendarDateFilter(method="filter_received_from", label=_("Tiếp nhận từ ngày"), widget=DATE_INPUT)
    received_to = CalendarDateFilter(method="filter_received_to", label=_("Tiếp nhận đến ngày"), widget=DATE_INPUT)
    # The statistical filters (see the module docstring): the dashboard's figures link here.
    province = UnitChoiceFilter(
        queryset=lambda request: provinces_for(getattr(request, "user", None)),
        to_field_name="code",
        label=_("Tỉnh, thành phố"),
        field_name="province",
        empty_label=_("Tất cả"),
    )
    abuse_subtype = django_filters.ChoiceFilter(
        choices=AbuseSubtype.choices,
        method="filter_abuse_subtype",
        label=_("Chi tiết hình thức"),
        empty_label=_("Tất cả"),
    )
    setting = django_filters.ChoiceFilter(
        choices=[*Setting.choices, (UNKNOWN, _("Chưa ghi"))],
        method="filter_setting",
        label=_("Môi trường xảy ra"),
        empty_label=_("Tất cả"),
    )
    special_group = django_filters.ChoiceFilter(
        choices=[*SPECIAL_GROUPS, (ANY_GROUP, _("Thuộc bất kỳ nhóm nào"))],
        method="filter_special_group",
        label=_("Nhóm hoàn cảnh đặc biệt"),
        empty_label=_("Tất cả"),
    )
    accident_type = django_filters.ChoiceFilter(
        choices=AccidentType.choices, label=_("Loại tai nạn"), empty_label=_("Tất cả")
    )
    accident_outcome = django_filters.ChoiceFilter(
        choices=AccidentOutcome.choices, label=_("Hậu quả tai nạn"), empty_label=_("Tất cả")
    )
    sex = django_filters.ChoiceFilter(
        choices=Sex.choices, field_name="child__sex", label=_("Giới tính"), empty_label=_("Tất cả")
    )
    age_min = django_filters.NumberFilter(
        method="filter_age_min", label=_("Tuổi khi tiếp nhận, từ"), min_value=0, max_value=30
    )
    age_max = django_filters.NumberFilter(
        method="filter_age_max", label=_("Tuổi khi tiếp nhận, đến"), min_value=0, max_value=30
    )
    age_unknown = django_filters.BooleanFilter(
        method="filter_age_unknown", label=_("Chưa rõ ngày, năm sinh"), widget=forms.CheckboxInput
    )
    ethnicity = EthnicityFilter(
        method="filter_ethnicity",
        label=_("Dân tộc"),
        choices=ethnicity_choices,
        empty_label=_("Tất cả"),
    )
    next_step = django_filters.ChoiceFilter(
        choices=DeadlineStep.choices,
        field_name="next_deadline_step",
        label=_("Bước có hạn gần nhất"),
        empty_label=_("Tất cả"),
    )
    incident_place_missing = django_filters.BooleanFilter(
        method="filter_incident_place_missing",
        label=_("Vụ xâm hại, tai nạn chưa ghi nơi xảy ra"),
        widget=forms.CheckboxInput,
    )
    recorded = django_filters.BooleanFilter(
        method="filter_recorded", label=_("Không gồm bản nháp"), widget=forms.CheckboxInput
    )
    ordering = django_filters.ChoiceFilter(
        choices=[
            ("-received_at", _("Mới tiếp nhận trước")),
            ("received_at", _("Tiếp nhận sớm nhất trước")),
            ("name", _("Tên trẻ (A–Z)")),
            ("-name", _("Tên trẻ (Z–A)")),
            ("next_deadline_at", _("Hạn gần nhất trước")),
        ],
        method="filter_ordering",
        label=_("Sắp xếp"),
        empty_label=None,
    )

    class Meta:
        model = Case
        fields: list[str] = []

    # The search and order rules are plain methods so the API subclass and other callers share them.
    def filter_search(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return search_cases(queryset, value)

    def filter_unassigned(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        return queryset.filter(assigned_officer__isnull=True) if value else queryset

    def filter_plan(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(plan_waiting_q(value)) if value else queryset

    def filter_separation(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(separation_in_force_q()) if value else queryset

    def filter_open(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        return queryset.open() if value else queryset  # type: ignore[attr-defined]

    def filter_abuse_form(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(abuse_forms__contains=[value]) if value else queryset

    def filter_due(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return (
            queryset.filter(due_condition(value, timezone.now())) if value in {"soon", "today", "overdue"} else queryset
        )

    def filter_received_from(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset.filter(received_between(value, None))

    def filter_received_to(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset.filter(received_between(None, value))

    def filter_ordering(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return order_cases(queryset, value)

    def filter_abuse_subtype(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(abuse_subtypes__contains=[value]) if value else queryset

    def filter_setting(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(setting="" if value == UNKNOWN else value)

    def filter_special_group(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        # Ticked or implied by the case's own data (cases/models/choices.py: IMPLIED_GROUPS), as the reports count.
        return queryset.filter(special_group_q(value)) if value else queryset

    def filter_age_min(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if value is None:
            return queryset
        return queryset.filter(age_between(int(value), None))

    def filter_age_max(self, queryset: QuerySet[Case], name: str, value: Any) -> QuerySet[Case]:
        if value is None:
            return queryset
        return queryset.filter(age_between(None, int(value)))

    def filter_age_unknown(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(child__date_of_birth__isnull=True, child__birth_year__isnull=True)

    def filter_ethnicity(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        condition = ethnicity_q(value)
        return queryset if condition is None else queryset.filter(condition)

    def filter_incident_place_missing(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(kind__in=[CaseKind.ABUSE, CaseKind.ACCIDENT], incident_commune__isnull=True)

    def filter_recorded(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        return queryset.exclude(status=CaseStatus.DRAFT) if value else queryset


class CaseApiFilter(CaseFilter):
    """CaseFilter for the API: the search parameter is `search` (the HTML form keeps `q`)."""

    q = None  # type: ignore[assignment] # removes the inherited filter (django-filter's documented way)
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Tìm kiếm"),
        help_text=_("Tên trẻ (có hoặc không dấu), số hồ sơ hoặc số định danh cá nhân."),
    )


# --- Referrals and transfers -------------------------------------------------------------------------------------


class ReferralFilter(django_filters.FilterSet):
    """The referral list page, narrowed to what a dashboard figure counts (reporting/figures/referrals.py):

    - `agency=`: the receiving agency's code; `province=` / `commune=`: the code of the case's province / commune;
    - `kind=`: the kind of the case; `sent_from=` / `sent_to=`: the days of sending (local calendar days, both
      included: `ReferralQuerySet.sent_between`, the dashboard's rule);
    - `answer=accepted` (the agency accepted, whatever happened after) or `answer=declined`.
    """

    CASE_FILTERS = ("province", "commune", "kind")

    # Set by the dashboard's links, carried as hidden fields and named in words above the form (`described`).
    agency = django_filters.CharFilter(field_name="agency__code", label=_("Cơ quan nhận"), widget=forms.HiddenInput)
    province = django_filters.CharFilter(
        field_name="case__province__code", label=_("Tỉnh, thành phố"), widget=forms.HiddenInput
    )
    commune = django_filters.CharFilter(
        field_name="case__commune__code", label=_("Xã, phường"), widget=forms.HiddenInput
    )
    kind = django_filters.ChoiceFilter(
        field_name="case__kind", choices=CaseKind.choices, label=_("Loại vụ việc"), empty_label=_("Tất cả")
    )
    sent_from = CalendarDateFilter(method="filter_sent_from", label=_("Gửi từ ngày"), widget=DATE_INPUT)
    sent_to = CalendarDateFilter(method="filter_sent_to", label=_("Gửi đến ngày"), widget=DATE_INPUT)
    answer = django_filters.ChoiceFilter(
        choices=[("accepted", _("Đã tiếp nhận")), ("declined", _("Từ chối"))],
        method="filter_answer",
        label=_("Phản hồi"),
        empty_label=_("Tất cả"),
    )

    class Meta:
        model = Referral
        fields: list[str] = []

    def __init__(self, *args: Any, case_filters: bool = True, **kwargs: Any) -> None:
        """`case_filters=False` (agency focal points): no filter on the case's kind or place. What a focal
        point learns of a case is the need-to-know view of an open or completed referral, never more."""
        super().__init__(*args, **kwargs)
        if not case_filters:
            for name in self.CASE_FILTERS:
                self.filters.pop(name)

    def filter_sent_from(self, queryset: QuerySet[Referral], name: str, value: datetime.date) -> QuerySet[Referral]:
        return queryset.sent_between(value, None)  # type: ignore[attr-defined]

    def filter_sent_to(self, queryset: QuerySet[Referral], name: str, value: datetime.date) -> QuerySet[Referral]:
        return queryset.sent_between(None, value)  # type: ignore[attr-defined]

    def filter_answer(self, queryset: QuerySet[Referral], name: str, value: str) -> QuerySet[Referral]:
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "declined":
            return queryset.filter(status=ReferralStatus.DECLINED)
        return queryset

    def narrowing(self) -> dict[str, str]:
        """The valid filters given, by name, as typed (to carry in the list's tabs and pages)."""
        self.is_valid()
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: str(self.data[name]) for name in self.filters if cleaned.get(name) not in (None, "")}

    def described(self) -> list[str]:
        """The hidden filters in words ("Cơ quan nhận: Công an tỉnh Thái Nguyên"): one query per unit or agency
        named, only when the list is narrowed to one."""
        from childprotect.models import AdministrativeUnit, Agency

        given = self.narrowing()
        lines = []
        if "agency" in given:
            name = Agency.objects.filter(code=given["agency"]).values_list("name", flat=True).first()
            lines.append(f"{self.form.fields['agency'].label}: {name or given['agency']}")
        for key in ("province", "commune"):
            if key in given:
                unit = AdministrativeUnit.objects.current().filter(code=given[key]).first()
                lines.append(f"{self.form.fields[key].label}: {unit.full_name if unit else given[key]}")
        return lines


class ReferralApiFilter(django_filters.FilterSet):
    """GET /api/v1/referrals/: by status (several allowed), urgency, case, receiving agency, and overdue."""

    status = ChoicesInFilter(choices=ReferralStatus.choices)
    urgency = django_filters.ChoiceFilter(choices=ReferralUrgency.choices)
    case = django_filters.NumberFilter(field_name="case_id")
    agency = django_filters.CharFilter(field_name="agency__code")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Chưa phản hồi và đã quá hạn")

    class Meta:
        model = Referral
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        overdue = Q(status=ReferralStatus.SENT, due_at__lte=timezone.now())  # ReferralQuerySet.unanswered_past_due
        if value is None:
            return queryset
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class TransferFilter(django_filters.FilterSet):
    status = ChoicesInFilter(choices=TransferStatus.choices)
    case = django_filters.NumberFilter(field_name="case_id")

    class Meta:
        model = CaseTransfer
        fields: list[str] = []
