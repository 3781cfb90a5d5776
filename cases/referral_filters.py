"""Narrowing the referral list (cases/views/referrals.py) to what a dashboard figure counts.

Every filter narrows a queryset that already went through `Referral.objects.visible_to(user)`, so a filter never
shows a referral the list would not. The parameters mirror the case list's (cases/filters.py) so that each figure
of "referrals by agency" (reporting/figures/referrals.py) links to exactly the referrals it counts:

- `agency=`: the receiving agency's code; `province=` / `commune=`: the code of the case's province / commune;
- `kind=`: the kind of the case; `sent_from=` / `sent_to=`: the days of sending (local calendar days, both
  included: `ReferralQuerySet.sent_between`, the dashboard's rule);
- `answer=accepted` (the agency accepted, whatever happened after) or `answer=declined`.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import CaseKind, Referral, ReferralStatus

_DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CASE_FILTERS = ("province", "commune", "kind")


class ReferralFilter(django_filters.FilterSet):
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
    sent_from = django_filters.DateFilter(method="filter_sent_from", label=_("Gửi từ ngày"), widget=_DATE_INPUT)
    sent_to = django_filters.DateFilter(method="filter_sent_to", label=_("Gửi đến ngày"), widget=_DATE_INPUT)
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
            for name in CASE_FILTERS:
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
