"""The special-circumstance groups of Luật Trẻ em 2016 Art. 10 (letters a–o; domain.md §3), and the groups a case's
own data already implies.

An officer ticks the groups nobody can infer (orphaned, without anyone to rely on, in conflict with the law, …).
Groups that the rest of the record states are derived, never ticked and never stored a second time: a child whose
case records sexual abuse *is* "trẻ em bị xâm hại tình dục" (l), whatever box was or was not ticked. Each rule below
is said once and read by the case page (`groups_of`), the case list's filter and the reports (`special_group_q`,
`special_circumstances_q`), so a figure and the list it opens always agree.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models.choices import AbuseForm, AbuseSubtype, CaseKind, Disability

SPECIAL_GROUPS: tuple[tuple[str, Any], ...] = (
    ("a", _("a) Mồ côi cả cha và mẹ")),
    ("b", _("b) Bị bỏ rơi")),
    ("c", _("c) Không nơi nương tựa")),
    ("d", _("d) Khuyết tật")),
    ("đ", _("đ) Nhiễm HIV/AIDS")),
    ("e", _("e) Vi phạm pháp luật")),
    ("g", _("g) Nghiện ma túy")),
    ("h", _("h) Bỏ học kiếm sống chưa hoàn thành phổ cập THCS")),
    ("i", _("i) Bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực")),
    ("k", _("k) Bị bóc lột")),
    ("l", _("l) Bị xâm hại tình dục")),
    ("m", _("m) Bị mua bán")),
    ("n", _("n) Mắc bệnh hiểm nghèo/điều trị dài ngày thuộc hộ nghèo, cận nghèo")),
    ("o", _("o) Di cư, lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc")),
)
SPECIAL_GROUP_LABELS: dict[str, Any] = dict(SPECIAL_GROUPS)
# The case filter's value for "in any group" (the reports' total row links to it).
ANY_GROUP = "any"


@dataclass(frozen=True)
class ImpliedBy:
    """A group follows from the record when the case is of abuse (not merely a risk of it) and names one of these
    forms or sub-types, or when the child has one of these disabilities."""

    abuse_forms: tuple[str, ...] = ()
    abuse_subtypes: tuple[str, ...] = ()
    disabilities: tuple[str, ...] = ()

    def holds_for(self, case: Any) -> bool:
        if case.kind == CaseKind.ABUSE:
            if set(self.abuse_forms) & set(case.abuse_forms or []):
                return True
            if set(self.abuse_subtypes) & set(case.abuse_subtypes or []):
                return True
        return case.child.disability in self.disabilities

    def q(self) -> Q:
        abuse = Q(kind=CaseKind.ABUSE)
        parts = []
        if self.abuse_forms:
            parts.append(abuse & Q(abuse_forms__overlap=list(self.abuse_forms)))
        if self.abuse_subtypes:
            parts.append(abuse & Q(abuse_subtypes__overlap=list(self.abuse_subtypes)))
        if self.disabilities:
            parts.append(Q(child__disability__in=list(self.disabilities)))
        return functools.reduce(operator.or_, parts)


# Luật Art. 10 and NĐ56 Arts. 4, 6, 11–14: the group each record implies.
IMPLIED_GROUPS: dict[str, ImpliedBy] = {
    "b": ImpliedBy(abuse_forms=(AbuseForm.ABANDONMENT,)),
    "d": ImpliedBy(disabilities=(Disability.MILD, Disability.SEVERE, Disability.ESPECIALLY_SEVERE)),
    "i": ImpliedBy(abuse_subtypes=(AbuseSubtype.VIOLENCE_SERIOUS,)),
    "k": ImpliedBy(abuse_forms=(AbuseForm.EXPLOITATION,)),
    "l": ImpliedBy(abuse_forms=(AbuseForm.SEXUAL_ABUSE,)),
    "m": ImpliedBy(abuse_forms=(AbuseForm.TRAFFICKING,)),
}


def implied_groups(case: Any) -> list[str]:
    """The groups the case's data implies, in the law's order (needs `case.child` loaded)."""
    return [code for code, _label in SPECIAL_GROUPS if code in IMPLIED_GROUPS and IMPLIED_GROUPS[code].holds_for(case)]


def groups_of(case: Any) -> list[str]:
    """Ticked and implied groups together, in the law's order."""
    ticked = set(case.special_groups or [])
    implied = set(implied_groups(case))
    return [code for code, _label in SPECIAL_GROUPS if code in ticked or code in implied]


def special_group_q(code: str) -> Q:
    """Cases whose child is in group `code`, ticked or implied (`ANY_GROUP`: in any group)."""
    if code == ANY_GROUP:
        return special_circumstances_q()
    condition = Q(special_groups__contains=[code])
    rule = IMPLIED_GROUPS.get(code)
    return condition | rule.q() if rule is not None else condition


def special_circumstances_q() -> Q:
    """Cases of children in special circumstances: recorded as such, or in any group ticked or implied."""
    condition = Q(kind=CaseKind.SPECIAL_CIRCUMSTANCE) | ~Q(special_groups=[])
    for rule in IMPLIED_GROUPS.values():
        condition |= rule.q()
    return condition
