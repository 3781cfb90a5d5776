"""What a newcomer meets under `make run` (issue 10): the site's own 404 page rather than Django's technical one,
and pages in Vietnamese until the user chooses English — whatever the browser's language — remembered on the
account."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import make_case
from tests.personas import PASSWORD, Personas


@pytest.fixture
def debug(settings):
    settings.DEBUG = True  # what `make run` sets: Django would show its technical 404 page


def _is_the_sites_404(response) -> None:
    page = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Không tìm thấy</h1>" in page
    assert 'href="/"' in page and "Về trang chủ" in page
    assert "URLconf" not in page and "urlpatterns" not in page.lower()


def test_an_unknown_address_shows_the_sites_404_page_under_debug(debug, personas: Personas, client_for) -> None:
    _is_the_sites_404(Client().get("/khong-co-trang-nay/"))
    _is_the_sites_404(client_for(personas.officer_a1).get("/khong-co-trang-nay/"))


def test_a_record_that_is_not_yours_shows_the_sites_404_page_under_debug(debug, personas: Personas, client_for) -> None:
    # A commune officer may not see the account of another commune's officer: the view raises Http404.
    _is_the_sites_404(client_for(personas.officer_a2).get(f"/users/{personas.officer_a1.pk}/"))
    _is_the_sites_404(client_for(personas.officer_a1).get("/cases/999999/"))


def test_the_api_keeps_answering_404_in_json_under_debug(debug, personas: Personas, client_for) -> None:
    response = client_for(personas.officer_a1).get("/api/v1/cases/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_an_english_browser_gets_the_login_page_in_vietnamese(db) -> None:
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get("/login/").content.decode()
    assert '<html lang="vi">' in page and "<h1>Đăng nhập</h1>" in page
    # until the user chooses English
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "<h1>Log in</h1>" in client.get("/login/").content.decode()


def test_a_signed_in_english_browser_gets_vietnamese(personas: Personas) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.officer_a1)
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_the_chosen_language_follows_the_user_to_a_new_browser(personas: Personas, client_for) -> None:
    client_for(personas.officer_a1).post("/i18n/setlang/", {"language": "en", "next": "/"})
    personas.officer_a1.refresh_from_db()
    assert personas.officer_a1.language == "en"

    # Another computer: no cookie, a Vietnamese browser; the login page is Vietnamese, the pages after it English.
    other = Client(HTTP_ACCEPT_LANGUAGE="vi")
    assert "<h1>Đăng nhập</h1>" in other.get("/login/").content.decode()
    response = other.post("/login/", {"username": personas.officer_a1.username, "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()

    # Choosing Vietnamese again is remembered too.
    other.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    personas.officer_a1.refresh_from_db()
    assert personas.officer_a1.language == "vi"
    fresh = Client()
    fresh.force_login(personas.officer_a1)
    assert '<html lang="vi">' in fresh.get("/").content.decode()


def test_the_hotline_home_says_what_the_operator_does(personas: Personas, client_for) -> None:
    make_case(personas.hotline, personas.commune_a1)
    page = client_for(personas.hotline).get("/").content.decode()
    assert "Chưa được giao địa bàn" not in page and "chưa xem được hồ sơ nào" not in page
    assert "cho bất kỳ xã, phường nào" in page and "cho đến khi xã, phường" in page
    assert 'href="/cases/new/"' in page and 'href="/cases/?recorded=true">1</a>' in page


@pytest.mark.parametrize("who", ["officer_a1", "police_a", "hotline", "nobody", "admin"])
def test_every_user_opens_their_own_account_page(personas: Personas, client_for, who: str) -> None:
    user = getattr(personas, who)
    response = client_for(user).get(f"/users/{user.pk}/")
    assert response.status_code == 200
    assert user.get_username() in response.content.decode()
