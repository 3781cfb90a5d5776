"""Agencies: the bodies that receive referrals and directive tasks. Names are data; no "Sở LĐTBXH" in code."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from childprotect.models.units import AdministrativeUnit


class Sector(models.TextChoices):
    CHILD_PROTECTION = "child_protection", _("Bảo vệ trẻ em")
    POLICE = "police", _("Công an")
    EDUCATION = "education", _("Giáo dục")
    HEALTH = "health", _("Y tế")
    JUSTICE = "justice", _("Tư pháp, trợ giúp pháp lý")
    COURT_PROCURACY = "court_procuracy", _("Tòa án, Viện kiểm sát")
    SOCIAL_FACILITY = "social_facility", _("Cơ sở trợ giúp xã hội")
    HOTLINE = "hotline", _("Tổng đài")
    MASS_ORGANISATION = "mass_organisation", _("Tổ chức chính trị - xã hội")
    GOVERNMENT = "government", _("Chính quyền (UBND)")
    OTHER = "other", _("Khác")


class AgencyLevel(models.TextChoices):
    NATIONAL = "national", _("Trung ương")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> AgencyQuerySet:
        from django.utils import timezone

        today = timezone.localdate()
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=today)).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=today)
        )

    def within(self, unit: AdministrativeUnit) -> AgencyQuerySet:
        """The agencies located in the unit or anywhere below it."""
        return self.filter(unit__path__startswith=unit.path)


class Agency(models.Model):
    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=40, blank=True)
    sector = models.CharField(_("lĩnh vực"), max_length=32, choices=Sector.choices)
    level = models.CharField(_("cấp"), max_length=16, choices=AgencyLevel.choices)
    unit = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("địa bàn"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    email = models.EmailField(_("email chung"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["name"]
        indexes = [models.Index(fields=["sector", "unit"], name="agency_sector_unit_idx")]

    def __str__(self) -> str:
        return self.name
