"""The national role (Cục Bà mẹ và Trẻ em, Bộ Y tế): an account with no unit and no agency, created by the
command and the admin like any other, behind the TOTP second factor like the other roles that see much."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from childprotect.models import User
from childprotect.roles import Role
from childprotect.services import do_create_user
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_command_creates_a_national_officer_without_a_unit(personas):
    call_command("create_user", "cuc_bmte", "--role", "national_officer", "--password", PASSWORD)
    user = User.objects.get(username="cuc_bmte")
    assert user.role == Role.NATIONAL_OFFICER and user.unit is None and user.agency is None
    assert not user.is_staff and not user.is_superuser
    assert user.requires_second_factor


def test_it_refuses_a_national_officer_tied_to_a_unit(personas):
    with pytest.raises(CommandError, match="unit"):
        call_command("create_user", "cuc_bmte", "--role", "national_officer", "--unit", "19")
    with pytest.raises(ValidationError):
        do_create_user(acting_user=None, username="x", role=Role.NATIONAL_OFFICER, unit=personas.province_a)
    # The table refuses it too, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas.national.pk).update(unit=personas.province_a)


def test_the_admin_creates_a_national_officer(personas, client_for):
    admin = client_for(personas.admin)
    response = admin.post(
        "/admin/childprotect/user/add/",
        {
            "username": "cuc_bmte2",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "usable_password": "true",
            "role": "national_officer",
            "email": "cuc@example.invalid",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="cuc_bmte2").role == Role.NATIONAL_OFFICER


def test_a_national_officer_needs_the_second_factor(personas):
    client = Client()
    assert client.post("/login/", {"username": "national", "password": PASSWORD}).status_code == 302
    home = client.get("/")
    assert home.status_code == 302 and home["Location"].startswith("/login/verify/")
