"""A realistic synthetic dataset, written with COPY: children and cases spread over the real communes and the
last five years, with Vietnamese names, the usual mix of kinds, forms, settings and statuses.

Deterministic for a given seed, so two runs measure the same data. It writes rows directly (no services): the
point is volume, and every derived column (search and sort keys, unit_path, deadlines) is filled the way the
services fill it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from cases.models.choices import OPEN_STATUSES
from childprotect.models import AdministrativeUnit
from childprotect.models.units import CURRENT_SCHEME, UnitKind
from childprotect.text.vietnamese import person_sort_key, search_key

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Hà",
    "Đinh",
    "Lò",
    "Triệu",
    "Ma",
    "Hứa",
    "Nông",
    "Sùng",
    "Giàng",
    "Vàng",
    "Thào",
]
MIDDLE_F = ["Thị", "Thị Thu", "Thị Ngọc", "Ngọc", "Thu", "Minh", "Thanh", "Bảo", "Khánh", "Hoài", "Diệu"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Gia", "Thành", "Anh", "Bảo", "Trung", "Xuân"]
GIVEN_F = [
    "Hương",
    "Lan",
    "Mai",
    "Linh",
    "Ngọc",
    "Trang",
    "Thảo",
    "Hà",
    "Anh",
    "Ánh",
    "Hằng",
    "Nhung",
    "Yến",
    "Vy",
    "Chi",
    "My",
    "Ngân",
    "Nhi",
    "Quỳnh",
    "Uyên",
    "Đào",
    "Giang",
    "Hoa",
    "Diệp",
    "Thư",
]
GIVEN_M = [
    "Nam",
    "Hùng",
    "Dũng",
    "Đức",
    "Minh",
    "Tuấn",
    "Long",
    "Hải",
    "Khoa",
    "Phúc",
    "Quân",
    "Bình",
    "An",
    "Bảo",
    "Đạt",
    "Hiếu",
    "Huy",
    "Khang",
    "Lâm",
    "Sơn",
    "Tài",
    "Thắng",
    "Trí",
    "Việt",
    "Vinh",
]
ETHNIC = ["01"] * 14 + ["02", "03", "06", "07", "08", "09", "05", "04", "10", "12"]
KINDS = ["abuse"] * 5 + ["at_risk"] * 2 + ["special_circumstance"] * 2 + ["accident"]
FORMS = (
    [["violence"]] * 8
    + [["sexual_abuse"]] * 4
    + [["neglect"]] * 3
    + [["exploitation"]] * 2
    + [["abandonment"], ["trafficking"], ["violence", "neglect"], ["other"]]
)
SETTINGS = ["family"] * 6 + ["school"] * 2 + ["community"] * 2 + ["online", "other"]
STATUSES = (
    ["closed"] * 9
    + ["in_progress"] * 4
    + [
        "plan_approved",
        "plan_drafted",
        "detailed_assessment",
        "initial_assessment",
        "received",
        "review",
        "not_substantiated",
        "needs_meeting",
        "emergency",
    ]
)
CHANNELS = [
    "hotline_111",
    "provincial_hotline",
    "walk_in",
    "phone",
    "school",
    "police",
    "health_facility",
    "online",
    "anonymous",
]


@dataclass
class Commune:
    id: int
    path: str
    province_id: int
    province_code: str


def current_communes() -> list[Commune]:
    rows = (
        AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, kind=UnitKind.COMMUNE)
        .select_related("parent")
        .order_by("code")
    )
    return [Commune(u.id, u.path, u.parent_id, u.parent.code) for u in rows]  # type: ignore[arg-type,union-attr]


def _name(rng: random.Random, sex: str) -> str:
    family = rng.choice(FAMILY)
    if sex == "female":
        return f"{family} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{family} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def _copy(table: str, columns: list[str], rows: Iterator[tuple[object, ...]]) -> int:
    count = 0
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def next_ids(table: str, count: int) -> int:
    """Reserve `count` ids from the table's identity sequence and return the first."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + count])
    return int(first)


def load(count: int, *, seed: int, years: int = 5, batch: int = 50_000, progress=None) -> None:
    """Append `count` synthetic cases (each with its child and reporter)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    communes = current_communes()
    # Bigger provinces report more: weight communes unevenly but stably.
    weights = [1 + (index * 7919) % 5 for index in range(len(communes))]
    now = timezone.now()
    start = now - datetime.timedelta(days=365 * years)
    span = (now - start).total_seconds()
    done = 0
    numbers: dict[tuple[str, int], int] = _existing_number_tops()
    while done < count:
        size = min(batch, count - done)
        first_child = next_ids("cases_child", size)
        first_case = next_ids("cases_case", size)
        first_reporter = next_ids("cases_reporter", size)
        children: list[tuple[object, ...]] = []
        cases: list[tuple[object, ...]] = []
        reporters: list[tuple[object, ...]] = []
        picks = rng.choices(communes, weights=weights, k=size)
        for offset, commune in enumerate(picks):
            sex = "female" if rng.random() < 0.55 else "male"
            name = _name(rng, sex)
            received = start + datetime.timedelta(seconds=rng.random() * span)
            age = rng.randint(0, 15)
            dob = (received - datetime.timedelta(days=365 * age + rng.randint(0, 364))).date()
            child_id = first_child + offset
            id_number = (
                f"{rng.randint(1, 96):03d}{3 if sex == 'female' else 2}{dob.year % 100:02d}{rng.randint(0, 999999):06d}"
                if rng.random() < 0.7
                else ""
            )
            children.append(
                (
                    child_id,
                    name,
                    search_key(name),
                    person_sort_key(name),
                    dob,
                    None,
                    False,
                    sex,
                    rng.choice(ETHNIC),
                    "QD121_1979",
                    id_number,
                    "none",
                    commune.id,
                    commune.path,
                    received,
                )
            )
            kind = rng.choice(KINDS)
            status = rng.choice(STATUSES)
            year = timezone.localtime(received).year
            key = (commune.province_code, year)
            numbers[key] = numbers.get(key, 0) + 1
            forms = rng.choice(FORMS) if kind == "abuse" else []
            accident = rng.choice(["drowning", "traffic", "other_injury"]) if kind == "accident" else ""
            outcome = rng.choice(["death", "injury", "injury"]) if kind == "accident" else ""
            is_open = status in OPEN_STATUSES
            deadline = received + datetime.timedelta(days=rng.randint(1, 20)) if is_open else None
            if is_open and rng.random() < 0.5:
                deadline = now + datetime.timedelta(hours=rng.randint(-200, 200))
            cases.append(
                (
                    first_case + offset,
                    f"{commune.province_code}-{year}-{numbers[key]:06d}",
                    child_id,
                    kind,
                    _array(forms),
                    "{}",
                    "{}",
                    rng.choice(SETTINGS) if kind == "abuse" else "",
                    accident,
                    outcome,
                    received,
                    received.date(),
                    commune.id,
                    rng.random() < 0.1,
                    "",
                    commune.id,
                    commune.province_id,
                    commune.path,
                    status,
                    received,
                    None,
                    None,
                    None,
                    deadline,
                    "plan_draft" if deadline else "",
                    1,
                    received,
                    received,
                    received + datetime.timedelta(days=60) if not is_open else None,
                )
            )
            reporters.append((first_reporter + offset, first_case + offset, rng.choice(CHANNELS), "", "", ""))
        _copy(
            "cases_child",
            [
                "id",
                "full_name",
                "name_search",
                "name_sort",
                "date_of_birth",
                "birth_year",
                "birth_date_estimated",
                "sex",
                "ethnicity_code",
                "ethnicity_code_system",
                "id_number",
                "disability",
                "commune_id",
                "unit_path",
                "created_at",
            ],
            iter(children),
        )
        _copy(
            "cases_case",
            [
                "id",
                "case_number",
                "child_id",
                "kind",
                "abuse_forms",
                "abuse_subtypes",
                "special_groups",
                "setting",
                "accident_type",
                "accident_outcome",
                "received_at",
                "incident_date",
                "incident_commune_id",
                "immediate_danger",
                "summary",
                "commune_id",
                "province_id",
                "unit_path",
                "status",
                "status_changed_at",
                "assigned_officer_id",
                "created_by_id",
                "handed_to_commune_at",
                "next_deadline_at",
                "next_deadline_step",
                "version",
                "created_at",
                "updated_at",
                "closed_at",
            ],
            iter(cases),
        )
        _copy("cases_reporter", ["id", "case_id", "channel", "name", "phone", "relationship"], iter(reporters))
        done += size
        if progress:
            progress(done)
    _store_number_tops(numbers)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_child; ANALYZE cases_case; ANALYZE cases_reporter")


def _array(values: list[str]) -> str:
    return "{" + ",".join(values) + "}"


def _existing_number_tops() -> dict[tuple[str, int], int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.code, s.year, s.last_value FROM cases_casenumbersequence s "
            "JOIN childprotect_administrativeunit u ON u.id = s.province_id"
        )
        return {(code, year): value for code, year, value in cursor.fetchall()}


def _store_number_tops(numbers: dict[tuple[str, int], int]) -> None:
    """Keep the numbering counters ahead of the synthetic numbers, so real intakes never collide with them."""
    provinces = dict(
        AdministrativeUnit.objects.filter(scheme=CURRENT_SCHEME, kind=UnitKind.PROVINCE).values_list("code", "id")
    )
    with connection.cursor() as cursor:
        for (code, year), value in numbers.items():
            cursor.execute(
                "INSERT INTO cases_casenumbersequence (province_id, year, last_value) VALUES (%s, %s, %s) "
                "ON CONFLICT (province_id, year) DO UPDATE SET last_value = GREATEST("
                "cases_casenumbersequence.last_value, EXCLUDED.last_value)",
                [provinces[code], year, value],
            )


def case_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case")
        return int(cursor.fetchone()[0])
