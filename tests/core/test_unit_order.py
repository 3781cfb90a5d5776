"""Units sort in Vietnamese alphabetical order everywhere (issue 12): one helper, `in_vietnamese_order`, behind the
dashboard's picker and tables, the report archive's picker, the case list's filters and the intake's commune
picker. SQL's byte order put "Bình" before "Bạch" and "Đ…" after "Y…"."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from cases.access import creatable_communes
from childprotect.models.units import UnitCategory, UnitKind
from childprotect.text.vietnamese import in_vietnamese_order
from tests.personas import Personas, make_unit

# In the order a Vietnamese dictionary gives them (the personas add "Phan Đình Phùng" and "Đại Phúc").
EXPECTED = ["Bạch Đằng", "Bình Yên", "Dân Tiến", "Đại Phúc", "Đồng Hỷ", "Phan Đình Phùng", "Yên Ninh"]


def test_the_helper_sorts_by_vietnamese_alphabet() -> None:
    units = [SimpleNamespace(name=name, code=str(i)) for i, name in enumerate(reversed(EXPECTED))]
    assert [u.name for u in in_vietnamese_order(units)] == EXPECTED
    rows = [(str(i), name) for i, name in enumerate(sorted(EXPECTED))]  # byte order: the wrong one
    assert [name for _, name in in_vietnamese_order(rows, name=lambda r: r[1], tie=lambda r: r[0])] == EXPECTED


@pytest.fixture
def communes(personas: Personas) -> list[str]:
    for code, name in [("05801", "Bình Yên"), ("05802", "Bạch Đằng"), ("05803", "Yên Ninh"), ("05804", "Đồng Hỷ")]:
        make_unit(code, name, UnitKind.COMMUNE, UnitCategory.XA, personas.province_a)
    make_unit("05805", "Dân Tiến", UnitKind.COMMUNE, UnitCategory.XA, personas.province_a)
    return EXPECTED


def _order_in(text: str, names: list[str]) -> list[str]:
    found = sorted((text.index(name), name) for name in names if name in text)
    return [name for _, name in found]


def _select(page: str, name: str) -> str:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert match, f"no <select name={name!r}>"
    return match.group(1)


def test_the_dashboard_lists_communes_in_vietnamese_order(personas: Personas, communes, client_for) -> None:
    page = client_for(personas.province_officer_a).get("/reports/dashboard/").content.decode()
    assert _order_in(_select(page, "unit"), communes) == communes
    # The table of cases by commune (after the picker).
    table = page[page.index('id="table-cases_by_area"') :]
    assert _order_in(table, communes) == communes


def test_the_report_archive_and_the_case_list_filters_in_vietnamese_order(
    personas: Personas, communes, client_for
) -> None:
    client = client_for(personas.province_officer_a)
    archive = client.get(reverse("reporting:archive")).content.decode()
    assert _order_in(_select(archive, "unit"), communes) == communes
    cases = client.get(reverse("cases:list")).content.decode()
    assert _order_in(_select(cases, "commune"), communes) == communes


def test_the_intake_picker_in_vietnamese_order(personas: Personas, communes) -> None:
    assert [u.name for u in creatable_communes(personas.province_officer_a)] == communes
