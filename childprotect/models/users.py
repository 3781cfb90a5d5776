"""Users: a role, a jurisdiction (an administrative unit) and, for agency staff, an agency."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from childprotect.querysets import UserQuerySet
from childprotect.roles import Role

__all__ = ["Role", "User"]


class UserAccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc] # dynamic base
    """Django's user manager (create_user, …) plus the access-scoped reads of UserQuerySet."""

    use_in_migrations = True


class User(AbstractUser):
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("địa bàn phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    agency = models.ForeignKey(
        "childprotect.Agency",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    # The language the user last chose (the switcher saves it): their notification emails are written in it.
    # Blank: the site's language.
    language = models.CharField(_("ngôn ngữ"), max_length=8, blank=True, choices=settings.LANGUAGES)

    objects = UserAccountManager()  # type: ignore[misc] # AbstractUser declares objects as a ClassVar

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="agency_focal_point") | models.Q(agency__isnull=False),
                name="focal_point_has_agency",
            ),
            # The national role sees the whole country's statistics; a unit or an agency would be a typo.
            models.CheckConstraint(
                condition=~models.Q(role="national_officer") | models.Q(unit__isnull=True, agency__isnull=True),
                name="national_officer_has_no_unit",
            ),
        ]

    @property
    def language_code(self) -> str:
        """The language to write to this user in, when there is no request to ask."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def requires_second_factor(self) -> bool:
        return self.role in settings.OTP_REQUIRED_ROLES

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN
