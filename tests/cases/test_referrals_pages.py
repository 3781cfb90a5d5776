"""Referral pages: the case page's section and "Chuyển gửi" form (agency picker by sector and area, due time by
urgency, the police step's pre-filled offer), the inbox, the home panel and nav, and the referral page's answers."""

from __future__ import annotations

import re

import pytest

from cases.models import Referral
from tests.cases.conftest import referral_case
from tests.personas import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]


def html(response) -> str:
    return response.content.decode()


def selected(page: str, name: str) -> str | None:
    """The selected option of a <select name=...> (None if none is marked)."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return match.group(1) if match else None


def test_the_case_page_has_a_referrals_section_with_the_form(personas: Personas, client_for, case_a1) -> None:
    page = html(client_for(personas.officer_a1).get(f"/cases/{case_a1.pk}/"))
    assert 'id="referrals"' in page and "Chuyển gửi liên ngành" in page
    assert f'action="/cases/{case_a1.pk}/referrals/new/"' in page
    assert 'name="agency"' in page and "Công an tỉnh Thái Nguyên" in page
    # Sexual abuse: the required step offers the police referral, pre-filled "immediate".
    assert f'href="/cases/{case_a1.pk}/referrals/new/?sector=police&amp;urgency=immediate"' in page
    # Read-only viewers see the section, not the form.
    province = html(client_for(personas.province_officer_a).get(f"/cases/{case_a1.pk}/"))
    assert 'id="referrals"' in province and 'name="agency"' not in province


def test_the_police_offer_is_pre_filled(personas: Personas, client_for, case_a1) -> None:
    response = client_for(personas.officer_a1).get(
        f"/cases/{case_a1.pk}/referrals/new/?sector=police&urgency=immediate"
    )
    page = html(response)
    assert response.status_code == 200
    assert selected(page, "sector") == "police"
    assert selected(page, "agency") == "CA-19"  # the only police agency of the province: chosen already
    assert re.search(r'value="immediate"[^>]*checked', page)
    assert "TTLT 01/2022" in page  # the suggested reason
    assert "ngay lập tức 2 giờ" in page  # the default due times are explained


def test_injuries_suggest_health(personas: Personas, client_for, more) -> None:
    case = referral_case(personas, kind="accident", accident=("traffic", "injury"))
    page = html(client_for(personas.officer_a1).get(f"/cases/{case.pk}/"))
    assert f"/cases/{case.pk}/referrals/new/?sector=health&amp;urgency=urgent" in page


def test_the_agency_list_narrows_by_sector_and_area(personas: Personas, client_for, case_a1, more) -> None:
    client = client_for(personas.officer_a1)
    url = f"/cases/{case_a1.pk}/referrals/agencies/"
    health = html(client.get(url, {"sector": "health", "area": "province"}))
    assert "YT-19" in health and "CA-19" not in health and 'id="referral-agency-field"' in health
    everyone = html(client.get(url, {"sector": "", "area": "province"}))
    assert "YT-19" in everyone and "CA-19" in everyone and "<optgroup" in everyone
    commune = html(client.get(url, {"sector": "police", "area": "commune"}))
    assert "CA-19" not in commune and "Không có cơ quan nào" in commune  # both agencies sit at the province
    nationwide = html(client.get(url, {"area": "all"}))
    assert "CA-19" not in nationwide  # the whole country needs a sector first
    assert "CA-19" in html(client.get(url, {"area": "all", "sector": "police"}))


def test_bad_input_comes_back_with_what_was_typed(personas: Personas, client_for, case_a1) -> None:
    client = client_for(personas.officer_a1)
    response = client.post(
        f"/cases/{case_a1.pk}/referrals/new/",
        {
            "sector": "police",
            "area": "province",
            "agency": "CA-19",
            "urgency": "urgent",
            "reason": "",
            "services": "Giám định thương tích",
            "due_at": "2020-01-01T08:00",
        },
    )
    page = html(response)
    assert response.status_code == 400
    assert "Giám định thương tích" in page
    assert page.count('class="field-errors"') == 2  # reason (required) and due_at (in the past)
    assert "Hạn phản hồi phải ở tương lai" in page
    assert not Referral.objects.exists()


def test_the_filter_button_narrows_without_judging(personas: Personas, client_for, case_a1, more) -> None:
    response = client_for(personas.officer_a1).post(
        f"/cases/{case_a1.pk}/referrals/new/",
        {"sector": "health", "area": "province", "reason": "Đã gõ", "filter": "1", "urgency": "normal"},
    )
    page = html(response)
    assert response.status_code == 200 and "field-errors" not in page
    assert "YT-19" in page and "CA-19" not in page and "Đã gõ" in page


def test_sending_from_the_page(personas: Personas, client_for, case_a1) -> None:
    client = client_for(personas.officer_a1)
    response = client.post(
        f"/cases/{case_a1.pk}/referrals/new/",
        {"sector": "police", "area": "province", "agency": "CA-19", "urgency": "immediate", "reason": "Nghi xâm hại"},
    )
    assert response.status_code == 302 and response["Location"] == f"/cases/{case_a1.pk}/#referrals"
    referral = Referral.objects.get()
    assert referral.agency.code == "CA-19" and referral.urgency == "immediate"
    page = html(client.get(f"/cases/{case_a1.pk}/"))
    assert "Đã chuyển gửi tới Công an tỉnh Thái Nguyên" in page
    assert "Phải thông báo ngay cho cơ quan công an" not in page  # the required step is met
    assert "Gửi tới Công an tỉnh Thái Nguyên" in page  # on the timeline


def test_the_focal_points_inbox_home_and_nav(personas: Personas, client_for, referral) -> None:
    client = client_for(personas.police_a)
    home = html(client.get("/"))
    assert "Hộp chuyển gửi" in home and 'href="/cases/referrals/"' in home
    assert 'href="/cases/"' not in home  # no case list for them
    inbox = html(client.get("/cases/referrals/"))
    assert referral.case.case_number in inbox and f'href="/cases/referrals/{referral.pk}/"' in inbox
    assert "Ngay lập tức" in inbox
    officer_nav = html(client_for(personas.officer_a1).get("/"))
    assert "Chuyển gửi liên ngành" in officer_nav and "Chuyển hồ sơ giữa các xã" in officer_nav


def test_answering_on_the_referral_page(personas: Personas, client_for, referral) -> None:
    police = client_for(personas.police_a)
    page = html(police.get(f"/cases/referrals/{referral.pk}/"))
    assert f'action="/cases/referrals/{referral.pk}/accept/"' in page
    assert f'action="/cases/referrals/{referral.pk}/decline/"' in page
    assert f'action="/cases/referrals/{referral.pk}/complete/"' not in page
    assert police.post(f"/cases/referrals/{referral.pk}/accept/").status_code == 302
    page = html(police.get(f"/cases/referrals/{referral.pk}/"))
    assert "Đã tiếp nhận chuyển gửi." in page
    assert f'action="/cases/referrals/{referral.pk}/complete/"' in page
    empty = police.post(f"/cases/referrals/{referral.pk}/complete/", {"outcome": "  "})
    assert empty.status_code == 400 and "field-errors" in html(empty)
    progress = police.post(f"/cases/referrals/{referral.pk}/progress/", {"note": "Đã lấy lời khai."})
    assert progress.status_code == 302
    done = police.post(f"/cases/referrals/{referral.pk}/complete/", {"outcome": "Đã khởi tố vụ án."})
    assert done.status_code == 302
    case_page = html(client_for(personas.officer_a1).get(f"/cases/{referral.case_id}/"))
    assert "Đã khởi tố vụ án." in case_page and "Đã lấy lời khai." in case_page
    assert "đã hoàn thành chuyển gửi" in case_page


def test_withdrawing_on_the_referral_page(personas: Personas, client_for, referral) -> None:
    officer = client_for(personas.officer_a1)
    page = html(officer.get(f"/cases/referrals/{referral.pk}/"))
    assert f'action="/cases/referrals/{referral.pk}/withdraw/"' in page
    assert f'action="/cases/referrals/{referral.pk}/accept/"' not in page
    assert officer.post(f"/cases/referrals/{referral.pk}/withdraw/", {"reason": "Gửi nhầm"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "withdrawn" and referral.withdraw_reason == "Gửi nhầm"
    refused = client_for(personas.police_a).post(f"/cases/referrals/{referral.pk}/accept/")
    assert refused.status_code == 400 and "đã kết thúc" in html(refused)
