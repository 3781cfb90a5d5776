"""Finding cases: one FilterSet for the HTML case list (`q=`) and the API (`search=`), on indexed columns only.

Every filter narrows a queryset that already went through `Case.objects.visible_to(user)`; the choices offered
(communes, officers) are themselves limited to the user's jurisdiction, so a filter never reveals anything the
list would not. Index use at scale (see cases/models/case.py):

- jurisdiction: `unit_path` prefix (visible_to) · status: `case_status_unit_idx` · abuse form: GIN on the array
- due soon / overdue: `case_next_deadline_idx` · received date range: `case_unit_received_idx`
- search: `ChildNameKey.key` (B-tree, word starts of the name), `case_number` (unique), `Child.id_number`
- order: `Child.name_sort` (ASCII key, COLLATE "C": Á after A, Đ after D on any PostgreSQL build) or receipt time.

The statistical filters (sex, age at receipt, ethnicity, setting, accident, special group, sub-type, province,
next step, `recorded`) exist so that every figure of the dashboard and the periodic reports links to exactly the
cases it counts (reporting/figures/): each narrows the jurisdiction's already-small set, never the whole table.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import F, Func, IntegerField, Q, QuerySet, When
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    AbuseForm,
    AbuseSubtype,
    AccidentOutcome,
    AccidentType,
    Case,
    CaseKind,
    CaseStatus,
    ChildNameKey,
    DeadlineStep,
    Setting,
    Sex,
)
from cases.special_groups import ANY_GROUP, SPECIAL_GROUPS, special_group_q
from childprotect.access import ALL_UNITS, jurisdiction_path
from childprotect.filtering import ChoicesInFilter
from childprotect.models import AdministrativeUnit, User
from childprotect.models.units import UnitKind
from childprotect.roles import COMMUNE_ROLES, Role
from childprotect.text.vietnamese import search_key

DEFAULT_DUE_SOON_HOURS = 48
CASE_NUMBER_FULL = re.compile(r"^\d{2}-\d{4}-\d{6}$")
CASE_NUMBER_PREFIX = re.compile(r"^\d{2}-(\d{1,4}(-\d{0,6})?)?$")
ID_NUMBER = re.compile(r"^\d{12}$")

_DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def due_soon_hours() -> int:
    return int(getattr(settings, "CASE_DUE_SOON_HOURS", DEFAULT_DUE_SOON_HOURS))


def deadline_state(due_at: datetime.datetime | None, now: datetime.datetime | None = None) -> str:
    """The deadline state: "overdue", "soon" (within the due-soon window) or "" — the rule of the `due` filter."""
    if due_at is None:
        return ""
    now = now or timezone.now()
    if due_at < now:
        return "overdue"
    if due_at <= now + datetime.timedelta(hours=due_soon_hours()):
        return "soon"
    return ""


def child_age(child: Any, today: datetime.date | None = None) -> int | None:
    """Age in whole years from the date of birth, or from the (estimated) year of birth."""
    today = today or timezone.localdate()
    if child.date_of_birth:
        born = child.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if child.birth_year:
        return max(today.year - child.birth_year, 0)
    return None


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def received_between(start: datetime.date, end: datetime.date) -> Q:
    """Cases received from local midnight of `start` up to the end of `end` (both days included): the rule of
    the received_from/received_to filters, shared with the dashboard and the reports."""
    return Q(received_at__gte=_local_midnight(start), received_at__lt=_local_midnight(end + datetime.timedelta(days=1)))


class _WholeYears(Func):
    """date_part('year', age(on, born)) as an integer: completed years of life on a date."""

    template = "(date_part('year', age(%(expressions)s)))::integer"
    output_field = IntegerField()


def age_at_receipt() -> SqlCase:
    """The child's age in completed years when the case was received, computed in SQL (local calendar days):
    from the date of birth, else from the (estimated) year of birth; NULL when neither is known."""
    tz = timezone.get_current_timezone()
    return SqlCase(
        When(
            child__date_of_birth__isnull=False,
            then=_WholeYears(TruncDate("received_at", tzinfo=tz), F("child__date_of_birth")),
        ),
        When(child__birth_year__isnull=False, then=ExtractYear("received_at", tzinfo=tz) - F("child__birth_year")),
        default=None,
        output_field=IntegerField(),
    )


def age_between(low: int | None, high: int | None) -> Q:
    """Age at receipt within [low, high] (either bound may be None), as a condition usable in filter() and in an
    aggregate's FILTER without annotating the queryset first (which makes Django re-walk every aggregate)."""
    from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

    condition = Q()
    if low is not None:
        condition &= Q(GreaterThanOrEqual(age_at_receipt(), low))
    if high is not None:
        condition &= Q(LessThanOrEqual(age_at_receipt(), high))
    return condition


def age_unknown() -> Q:
    """Neither the date nor the year of birth is known: no age at receipt."""
    from django.db.models.lookups import IsNull

    return Q(IsNull(age_at_receipt(), True))


KINH_CODE = "01"  # Kinh (Việt) is 01 in both QĐ 121/1979 and QĐ 1019/2008
UNKNOWN = "unknown"


def ethnicity_q(value: str) -> Q | None:
    """`kinh`, `minority` (any recorded group but Kinh), `unknown` (not recorded), a QĐ 121 code ("05"), or
    "<code system>:<code>" for a child coded in another list. None when the value means nothing."""
    value = (value or "").strip()
    if value == "kinh":
        return Q(child__ethnicity_code=KINH_CODE)
    if value == "minority":
        return ~Q(child__ethnicity_code__in=["", KINH_CODE])
    if value == UNKNOWN:
        return Q(child__ethnicity_code="")
    system, _sep, code = value.rpartition(":")
    if re.fullmatch(r"\d{2}", code):
        from cases.ethnicity import QD121_CODE_SYSTEM

        return Q(child__ethnicity_code=code, child__ethnicity_code_system=system or QD121_CODE_SYSTEM)
    return None


def ethnicity_choices() -> list[tuple[str, Any]]:
    """The ethnicity filter's choices, by name: Kinh, all minorities, not recorded, then each group of QĐ 121."""
    from cases.ethnicity import ETHNIC_GROUPS_QD121

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


def provinces_for(request: Any) -> QuerySet[AdministrativeUnit]:
    """The provinces a user may filter by: every current one for admins, their own for province officers."""
    user = getattr(request, "user", None)
    units = AdministrativeUnit.objects.filter(kind=UnitKind.PROVINCE).order_by("name", "code")
    if user is None or not user.is_authenticated:
        return units.none()
    path = jurisdiction_path(user)
    if path is None or user.role not in {Role.ADMIN, Role.PROVINCE_OFFICER}:
        return units.none()
    if path is ALL_UNITS:
        return units.filter(pk__in=AdministrativeUnit.objects.current().values("pk"))
    return units.filter(path=path)


def communes_for(request: Any) -> QuerySet[AdministrativeUnit]:
    """The communes a user may filter by: those of their jurisdiction (hotline: those of their own cases)."""
    user = getattr(request, "user", None)
    units = AdministrativeUnit.objects.filter(kind=UnitKind.COMMUNE).order_by("name", "code")
    if user is None or not user.is_authenticated:
        return units.none()
    if user.role == Role.HOTLINE_OPERATOR:
        return units.filter(pk__in=Case.objects.visible_to(user).values("commune_id"))
    path = jurisdiction_path(user)
    if path is None:
        return units.none()
    if path is ALL_UNITS:
        return units.filter(pk__in=AdministrativeUnit.objects.current().values("pk"))
    return units.filter(path__startswith=path)


def officers_for(request: Any) -> QuerySet[User]:
    """Officers a case can be assigned to, within the user's sight (never accounts of other provinces)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return User.objects.none()
    return (
        User.objects.visible_to(user).filter(role__in=COMMUNE_ROLES, is_active=True).order_by("last_name", "username")
    )


class OfficerChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


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
    commune = django_filters.ModelChoiceFilter(
        queryset=communes_for,
        to_field_name="code",
        label=_("Xã, phường"),
        field_name="commune",
        empty_label=_("Tất cả"),
    )
    officer = OfficerFilter(
        queryset=officers_for, field_name="assigned_officer", label=_("Cán bộ phụ trách"), empty_label=_("Tất cả")
    )
    due = django_filters.ChoiceFilter(
        choices=[("soon", _("Sắp đến hạn")), ("overdue", _("Quá hạn"))],
        method="filter_due",
        label=_("Thời hạn"),
        empty_label=_("Tất cả"),
    )
    received_from = django_filters.DateFilter(
        method="filter_received_from", label=_("Tiếp nhận từ ngày"), widget=_DATE_INPUT
    )
    received_to = django_filters.DateFilter(
        method="filter_received_to", label=_("Tiếp nhận đến ngày"), widget=_DATE_INPUT
    )
    # The statistical filters (see the module docstring): the dashboard's figures link here.
    province = django_filters.ModelChoiceFilter(
        queryset=provinces_for,
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

    def filter_open(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        return queryset.open() if value else queryset  # type: ignore[attr-defined]

    def filter_abuse_form(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(abuse_forms__contains=[value]) if value else queryset

    def filter_due(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        now = timezone.now()
        if value == "overdue":
            return queryset.filter(next_deadline_at__lt=now)
        if value == "soon":
            horizon = now + datetime.timedelta(hours=due_soon_hours())
            return queryset.filter(next_deadline_at__gte=now, next_deadline_at__lte=horizon)
        return queryset

    def filter_received_from(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset.filter(received_at__gte=_local_midnight(value))

    def filter_received_to(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset.filter(received_at__lt=_local_midnight(value + datetime.timedelta(days=1)))

    def filter_ordering(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return order_cases(queryset, value)

    def filter_abuse_subtype(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(abuse_subtypes__contains=[value]) if value else queryset

    def filter_setting(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not value:
            return queryset
        return queryset.filter(setting="" if value == UNKNOWN else value)

    def filter_special_group(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        # Ticked or implied by the case's own data (cases/special_groups.py), as the reports count them.
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


def search_cases(queryset: QuerySet[Case], value: str) -> QuerySet[Case]:
    """Case number (exact, or a prefix such as "19-2025-"), a 12-digit ID number (exact), otherwise the child's
    name without regard to diacritics or case, from the start of any word of it ("nguyen thi huong", "thi huong"
    and "huo" find "Nguyễn Thị Hương"; "uong" does not)."""
    text = " ".join((value or "").split())
    if not text:
        return queryset
    if CASE_NUMBER_FULL.match(text):
        return queryset.filter(case_number=text)
    if CASE_NUMBER_PREFIX.match(text):
        return queryset.filter(case_number__startswith=text)
    if ID_NUMBER.match(text):
        return queryset.filter(child__id_number=text)
    key = search_key(text)
    # Names match from the start of any word ("huong" and "thi huong" find "Nguyễn Thị Hương"): a B-tree range
    # over the children's word-start keys, which reads only the matching children however many there are.
    return queryset.filter(child_id__in=ChildNameKey.objects.filter(key__startswith=key).values("child_id"))


@dataclass(frozen=True)
class ListOrder:
    """One order of the case list: a column, its direction, and the case id as the tie-breaker in the same
    direction, so that every position in the list is unique (cases/pagination.py pages by it)."""

    field: str
    descending: bool = False
    nulls_last: bool = False

    def order_by(self, *, reverse: bool = False) -> tuple[Any, ...]:
        """ORDER BY for this order, or for reading it backwards (the page before a given case)."""
        descending = self.descending != reverse
        column = F(self.field)
        if self.nulls_last:  # empty values after the others in list order, so before them read backwards
            ordered = column.desc(nulls_first=reverse) if descending else column.asc(nulls_last=not reverse)
        else:
            ordered = column.desc() if descending else column.asc()
        return (ordered, "-id" if descending else "id")


ORDERS: dict[str, ListOrder] = {
    "-received_at": ListOrder("received_at", descending=True),
    "received_at": ListOrder("received_at"),
    "name": ListOrder("child__name_sort"),
    "-name": ListOrder("child__name_sort", descending=True),
    "next_deadline_at": ListOrder("next_deadline_at", nulls_last=True),
}
DEFAULT_ORDERING = "-received_at"


def list_order(value: str | None) -> ListOrder:
    return ORDERS.get(value or DEFAULT_ORDERING, ORDERS[DEFAULT_ORDERING])


def order_cases(queryset: QuerySet[Case], value: str | None) -> QuerySet[Case]:
    return queryset.order_by(*list_order(value).order_by())
