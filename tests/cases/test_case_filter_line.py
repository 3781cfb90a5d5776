"""The case list says its active filters in words, each removable (cases/filter_words.py,
templates/includes/active_filters.html): a dashboard link's filters are folded away in the form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cases.models import CaseKind, CaseStatus
from tests.conftest import make_case

pytestmark = pytest.mark.django_db

DASHBOARD_LINK = "/cases/?kind=abuse&status=in_progress&received_from=2026-01-01&received_to=2026-06-30"


def _line(response) -> list:
    return response.context["filter_line"]


def test_a_dashboard_link_shows_its_filters_in_words(personas, client_for):
    make_case(personas.officer_a1, personas.commune_a1)
    response = client_for(personas.officer_a1).get(DASHBOARD_LINK)
    assert response.status_code == 200
    texts = [item.text for item in _line(response)]
    assert texts == [
        f"Trạng thái: {CaseStatus.IN_PROGRESS.label}",
        f"Loại vụ việc: {CaseKind.ABUSE.label}",
        "Tiếp nhận từ 01/01/2026 đến 30/06/2026",
    ]
    page = response.content.decode()
    assert "Đang lọc:" in page
    assert "Tiếp nhận từ 01/01/2026 đến 30/06/2026" in page


def test_each_filter_is_removable_and_clear_all_goes_to_the_bare_list(personas, client_for):
    client = client_for(personas.officer_a1)
    line = _line(client.get(DASHBOARD_LINK + "&page=2"))
    kind = next(item for item in line if item.label == "Loại vụ việc")
    kept = parse_qs(urlsplit(kind.remove_url).query)
    assert kept == {"status": ["in_progress"], "received_from": ["2026-01-01"], "received_to": ["2026-06-30"]}
    period = line[-1]
    assert parse_qs(urlsplit(period.remove_url).query) == {"kind": ["abuse"], "status": ["in_progress"]}
    # Following a removal link: the line no longer says that filter.
    after = [item.text for item in _line(client.get(kind.remove_url))]
    assert after == [f"Trạng thái: {CaseStatus.IN_PROGRESS.label}", "Tiếp nhận từ 01/01/2026 đến 30/06/2026"]
    assert 'class="active-filters-clear" href="/cases/"' in client.get(DASHBOARD_LINK).content.decode()


def test_commune_officer_and_search_are_named_as_the_user_sees_them(personas, client_for):
    client = client_for(personas.province_officer_a)
    response = client.get(
        "/cases/",
        {
            "commune": personas.commune_a1.code,
            "q": "Hương <b>",
            "open": "true",
            "due": "overdue",
            "officer": personas.officer_a1.pk,
        },
    )
    officer = personas.officer_a1.get_full_name() or personas.officer_a1.get_username()
    texts = [item.text for item in _line(response)]
    assert texts == [
        "Tìm kiếm: Hương <b>",
        "Chỉ hồ sơ đang xử lý",
        f"Xã, phường: {personas.commune_a1.full_name}",
        f"Cán bộ phụ trách: {officer}",
        "Thời hạn: Quá hạn",
    ]
    assert "Hương &lt;b&gt;" in response.content.decode()  # the user's own words, escaped


def test_a_commune_out_of_scope_names_nothing(personas, client_for):
    response = client_for(personas.province_officer_a).get("/cases/", {"commune": personas.commune_b1.code})
    assert _line(response) == []
    page = response.content.decode()
    assert personas.commune_b1.full_name not in page
    assert "Đang lọc:" not in page


def test_no_filter_no_line(personas, client_for):
    response = client_for(personas.officer_a1).get("/cases/", {"ordering": "name"})
    assert _line(response) == []
    assert "Đang lọc:" not in response.content.decode()


def test_an_age_of_zero_is_a_filter_in_use(personas, client_for):
    response = client_for(personas.officer_a1).get("/cases/", {"age_min": "0", "age_max": "5"})
    assert [item.text for item in _line(response)] == ["Tuổi khi tiếp nhận, từ: 0", "Tuổi khi tiếp nhận, đến: 5"]
