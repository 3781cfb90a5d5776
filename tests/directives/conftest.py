"""The directory of departments the directive tests need, on top of tests/personas.py, and their focal points.

Province A (19, Thái Nguyên): the personas' police (CA-19) plus the education, labour, health and finance
departments, each with a focal point. Province B (01, Hà Nội): its own police with a focal point (an outsider
to everything of province A). Also `make_directive` and its inputs, and `review_data`: what the browser sends
back from the review page as it was rendered.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.forms import MultipleChoiceField

from childprotect.models import Agency, User
from childprotect.roles import Role
from childprotect.services import do_create_agency, do_create_user
from directives.models import DeadlineKind, Directive
from directives.recurrence import DeadlineRule
from directives.services import DirectiveInput, LeadChoice, TaskInput, do_create_directive
from tests.personas import PASSWORD, Personas

SAMPLES = Path(__file__).resolve().parent / "samples"


def read_sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


@dataclass
class Departments:
    p: Personas
    education: Agency
    labour: Agency
    health: Agency
    finance: Agency
    police: Agency
    police_b: Agency
    education_fp: User
    labour_fp: User
    police_b_fp: User


def build_departments(p: Personas) -> Departments:
    def agency(code: str, name: str, sector: str, unit: Any) -> Agency:
        return do_create_agency(acting_user=None, code=code, name=name, sector=sector, unit=unit)

    def focal_point(username: str, agency_: Agency) -> User:
        return do_create_user(
            acting_user=None,
            username=username,
            role=Role.AGENCY_FOCAL_POINT,
            agency=agency_,
            password=PASSWORD,
            email=f"{username}@example.invalid",
        )

    education = agency("SGDDT-19", "Sở Giáo dục và Đào tạo tỉnh Thái Nguyên", "education", p.province_a)
    labour = agency(
        "SLDTBXH-19", "Sở Lao động - Thương binh và Xã hội tỉnh Thái Nguyên", "child_protection", p.province_a
    )
    health = agency("SYT-19", "Sở Y tế tỉnh Thái Nguyên", "health", p.province_a)
    finance = agency("STC-19", "Sở Tài chính tỉnh Thái Nguyên", "other", p.province_a)
    police_b = agency("CA-01", "Công an thành phố Hà Nội", "police", p.province_b)
    return Departments(
        p=p,
        education=education,
        labour=labour,
        health=health,
        finance=finance,
        police=p.police_agency_a,
        police_b=police_b,
        education_fp=focal_point("education_a", education),
        labour_fp=focal_point("labour_a", labour),
        police_b_fp=focal_point("police_b", police_b),
    )


@pytest.fixture
def dept(personas: Personas) -> Departments:
    return build_departments(personas)


def task_input(
    *leads: LeadChoice,
    text: str = "Tổ chức thực hiện và báo cáo kết quả.",
    label: str = "1",
    rule: DeadlineRule | None = None,
    **extra: Any,
) -> TaskInput:
    return TaskInput(text=text, leads=list(leads), label=label, rule=rule or DeadlineRule(), **extra)


def make_directive(
    officer: User,
    *tasks: TaskInput,
    number: str = "5310",
    symbol: str = "UBND-KGVX",
    issued_on: datetime.date | None = datetime.date(2024, 1, 10),
    today: datetime.date | None = None,
    **extra: Any,
) -> Directive:
    data = DirectiveInput(
        doc_type="cong_van",
        number=number,
        symbol=symbol,
        issuer="ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN",
        place="Thái Nguyên",
        issued_on=issued_on,
        subject="tăng cường công tác bảo vệ trẻ em",
        tasks=list(tasks),
        **extra,
    )
    return do_create_directive(acting_user=officer, data=data, today=today)


def dated(day: datetime.date) -> DeadlineRule:
    return DeadlineRule(kind=DeadlineKind.DATE, date=day)


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def review_data(response: Any) -> dict[str, Any]:
    """What the browser would send back from the review page as it was rendered (initial or bound values)."""
    data: dict[str, Any] = {"action": "confirm"}
    forms = [response.context["form"], *response.context["tasks"].forms]
    for form in forms:
        for name, field in form.fields.items():
            if name in ("signed_file", "DELETE"):
                continue
            value = form[name].value()
            if isinstance(field, MultipleChoiceField):  # an empty multiple select sends nothing
                data[form.add_prefix(name)] = [str(v) for v in value or []]
            else:
                data[form.add_prefix(name)] = _value(value)
    # The per-task notes travel in hidden inputs (the warnings are recomputed from the form).
    for index, row in enumerate(response.context["task_rows"]):
        data[f"tasks-{index}-note"] = list(row["notes"])
    management = response.context["tasks"].management_form
    for name in management.fields:
        data[management.add_prefix(name)] = management[name].value()
    return data
