"""Every page of the platform renders for the roles that may see it, in Vietnamese, with bounded queries;
and the 404 page says the same thing for a record that is missing and for one that is out of reach."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from django_otp.plugins.otp_totp.models import TOTPDevice

from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event
from tests.personas import PASSWORD, Personas

NOT_FOUND_TEXT = "Không tìm thấy trang hoặc hồ sơ bạn yêu cầu, hoặc bạn không có quyền xem."


def html(response) -> str:
    return response.content.decode()


def without_csrf_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked (Django masks the token differently on every response)."""
    page = re.sub(r'(name="csrf-token" content=")[^"]+', r"\1", page)
    return re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1", page)


def warm_up(client: Client) -> None:
    """One request first, so the session's idle-timeout stamp is already written and the counted request
    below does only its own work (the stamp is saved at most once a minute)."""
    client.get(reverse("healthz"))
    client.get(reverse("home"))


@pytest.mark.parametrize(
    "who",
    [
        "officer_a1",
        "chair_a1",
        "officer_a2",
        "province_officer_a",
        "province_officer_b",
        "police_a",
        "hotline",
        "nobody",
        "admin",
    ],
)
def test_home_renders_for_every_role(personas: Personas, client_for, who: str) -> None:
    user = getattr(personas, who)
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    page = html(response)
    assert '<html lang="vi">' in page
    assert "Xin chào" in page
    assert str(user.get_role_display()) in page
    assert 'action="/logout/"' in page and 'method="post"' in page
    assert 'id="content"' in page
    # Today's date, in words ("Thứ hai, ngày 23/11/2026"): the format is translated, so it is applied with the
    # date filter ({% now %} would read a variable's name as the format itself).
    from django.utils import timezone

    assert f"ngày {timezone.localdate():%d/%m/%Y}" in page
    if user.unit_id:
        assert user.unit.full_name in page
    if who == "nobody":
        assert "Chưa được giao địa bàn" in page


def test_home_queries(personas: Personas, client_for, django_assert_max_num_queries) -> None:
    client = client_for(personas.province_officer_a)
    warm_up(client)
    # 1 session, 2 user, 3 the verified TOTP device, 4 the user's unit (jurisdiction; the header reuses it),
    # 5-7 the three figures of the jurisdiction panel (communes, agencies, active users), one COUNT each,
    # 8 the case panel (open, overdue, due soon: one aggregate query),
    # 9 the referral panel (awaiting an answer, overdue, being worked on: one aggregate query),
    # 10-12 the "Việc cần làm" panel: one COUNT per group (escalated referrals, reports and task reports to
    # review), and nothing more while they are empty.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_login_page_and_its_notices(client: Client, personas: Personas) -> None:
    response = client.get(reverse("login") + "?next=/users/&expired=1")
    assert response.status_code == 200
    page = html(response)
    assert "Phiên làm việc đã hết hạn" in page
    assert 'name="next" value="/users/"' in page
    assert '<label for="id_username"' in page and '<label for="id_password"' in page
    assert 'name="csrf-token"' in page

    response = client.post(reverse("login"), {"username": "officer_a1", "password": "sai"})
    assert response.status_code == 200
    page = html(response)
    assert 'role="alert"' in page and "mật khẩu chính xác" in page  # Django's own Vietnamese message
    assert 'value="officer_a1"' in page


def test_language_switcher(personas: Personas, client_for) -> None:
    client = client_for(personas.officer_a1)
    page = html(client.get(reverse("home")))
    assert f'action="{reverse("set_language")}"' in page and 'name="language" value="en"' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    page = html(response)
    assert '<html lang="en">' in page
    assert 'name="language" value="vi"' in page and ">Tiếng Việt</button>" in page


def test_lockout_page_after_too_many_failures(client: Client, personas: Personas, settings) -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "officer_a1", "password": "sai"})
    assert response.status_code == 429  # django-axes' default status for a lockout
    page = html(response)
    assert "Tài khoản tạm thời bị khóa" in page
    assert "60 phút" in page  # AXES_COOLOFF_TIME: one hour
    # Still locked with the right password.
    response = client.post(reverse("login"), {"username": "officer_a1", "password": PASSWORD})
    assert "Tài khoản tạm thời bị khóa" in html(response)


def test_second_factor_pages(personas: Personas) -> None:
    # Enrolment: a province officer with no device, after the password step.
    client = Client()
    client.force_login(personas.province_officer_a)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("otp-setup"))
    page = html(response)
    assert "Thiết lập xác thực hai lớp" in page
    assert "<svg" in page and 'id="otp-secret"' in page
    assert 'aria-label="Điều hướng chính"' not in page  # no links to pages that would only redirect here
    response = client.post(reverse("otp-setup"), {"otp_token": "12"})
    page = html(response)
    assert 'id="id_otp_token_error"' in page and 'aria-describedby="id_otp_token_error"' in page
    assert "Mã xác thực gồm đúng 6 chữ số." in page

    # Verification: a confirmed device exists.
    TOTPDevice.objects.create(user=personas.province_officer_b, name="app", confirmed=True)
    client = Client()
    client.force_login(personas.province_officer_b)
    response = client.get(reverse("otp-verify"))
    assert response.status_code == 200
    assert "Xác thực hai lớp" in html(response)
    response = client.post(reverse("otp-verify"), {"otp_token": "000000"})
    assert "Mã xác thực không đúng" in html(response)


def test_password_change_pages(personas: Personas, client_for) -> None:
    client = client_for(personas.officer_a1)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    page = html(response)
    assert "Đổi mật khẩu" in page and '<label for="id_old_password"' in page
    response = client.post(
        reverse("password_change"), {"old_password": "sai", "new_password1": "x", "new_password2": "y"}
    )
    assert response.status_code == 200
    assert 'class="field field-has-error"' in html(response)
    response = client.get(reverse("password_change_done"))
    assert response.status_code == 200
    assert "Đã đổi mật khẩu" in html(response)


@pytest.mark.parametrize("who", ["province_officer_a", "admin"])
def test_user_list(personas: Personas, client_for, django_assert_max_num_queries, who: str) -> None:
    client = client_for(getattr(personas, who))
    warm_up(client)
    # 1 session, 2 user, 3 the verified TOTP device (OTPMiddleware), 4 the user's unit (jurisdiction),
    # 5 COUNT for the paginator, 6 the page of users with unit and agency joined.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("users"))
    assert response.status_code == 200
    page = html(response)
    assert f'href="{reverse("user-detail", args=[personas.officer_a1.pk])}"' in page
    assert "Phường Phan Đình Phùng" in page
    assert 'aria-current="page"' in page  # the nav entry of this page


def test_user_list_for_a_commune_officer_shows_only_their_commune(personas: Personas, client_for) -> None:
    response = client_for(personas.officer_a1).get(reverse("users"))
    assert response.status_code == 200
    page = html(response)
    assert "officer_a1" in page and "chair_a1" in page
    assert "officer_a2" not in page and "province_b" not in page


def test_user_detail(personas: Personas, client_for) -> None:
    shown = personas.officer_a1
    for viewer in (personas.officer_a1, personas.province_officer_a, personas.admin):
        response = client_for(viewer).get(reverse("user-detail", args=[shown.pk]))
        assert response.status_code == 200
        page = html(response)
        assert "officer_a1@example.invalid" in page and "Phường Phan Đình Phùng" in page


@pytest.mark.parametrize("who", ["province_officer_b", "officer_a2", "police_a", "nobody"])
def test_outsider_gets_the_same_404_as_for_a_missing_user(personas: Personas, client_for, who: str) -> None:
    client = client_for(getattr(personas, who))
    out_of_reach = client.get(reverse("user-detail", args=[personas.officer_a1.pk]))
    missing = client.get(reverse("user-detail", args=[999_999_999]))
    assert out_of_reach.status_code == missing.status_code == 404
    assert NOT_FOUND_TEXT in html(out_of_reach)
    # Byte for byte the same page (but for the address in the language switcher's "next").
    assert without_csrf_tokens(html(out_of_reach)) == without_csrf_tokens(
        html(missing).replace(str(999_999_999), str(personas.officer_a1.pk))
    )
    assert "officer_a1" not in html(out_of_reach)


@pytest.fixture
def province_a_event(personas: Personas):
    return record_audit_event(
        actor=personas.officer_a1,
        action=AuditAction.VIEW,
        target=personas.officer_a2,
        unit_path=personas.commune_a2.path,
        details={"fields": ["phone", "email"], "reason": "kiểm tra"},
    )


@pytest.mark.parametrize("who", ["province_officer_a", "admin"])
def test_audit_log(personas: Personas, client_for, province_a_event, django_assert_max_num_queries, who: str) -> None:
    client = client_for(getattr(personas, who))
    warm_up(client)
    url = reverse("audit-log") + "?actor=officer_a1&action=view"
    # 1 session, 2 user, 3 the verified TOTP device, 4 the user's unit (jurisdiction, read once and cached),
    # 5 COUNT for the paginator, 6 the page of events.
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert response.status_code == 200
    page = html(response)
    assert f'href="{reverse("audit-event", args=[province_a_event.pk])}"' in page
    assert 'value="officer_a1"' in page  # the filter keeps what was typed
    assert '<option value="view" selected>' in page


def test_audit_log_pagination_keeps_the_filters(personas: Personas, client_for) -> None:
    for _ in range(51):
        record_audit_event(actor=personas.officer_a1, action=AuditAction.VIEW, unit_path=personas.commune_a1.path)
    response = client_for(personas.province_officer_a).get(reverse("audit-log") + "?actor=officer_a1")
    page = html(response)
    assert "?actor=officer_a1&amp;page=2" in page
    assert "Trang 1/2" in page


def test_audit_event(personas: Personas, client_for, province_a_event) -> None:
    url = reverse("audit-event", args=[province_a_event.pk])
    response = client_for(personas.province_officer_a).get(url)
    assert response.status_code == 200
    page = html(response)
    assert "&quot;reason&quot;: &quot;kiểm tra&quot;" in page  # pretty JSON, Vietnamese kept readable
    assert "childprotect.user" in page

    response = client_for(personas.province_officer_b).get(url)
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in html(response)


@pytest.mark.parametrize("who", ["officer_a1", "chair_a1", "police_a", "hotline"])
def test_audit_pages_are_hidden_from_other_roles(personas: Personas, client_for, province_a_event, who: str) -> None:
    client = client_for(getattr(personas, who))
    for url in (reverse("audit-log"), reverse("audit-event", args=[province_a_event.pk])):
        response = client.get(url)
        assert response.status_code == 404
        assert NOT_FOUND_TEXT in html(response)


def test_404_for_a_visitor(client: Client, db: None) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert NOT_FOUND_TEXT in html(response)


def test_500_page_stands_alone(rf: RequestFactory) -> None:
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    page = html(response)
    assert "Hệ thống đang gặp lỗi" in page and "/static/css/app.css" in page
