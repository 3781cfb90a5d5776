"""Administrative units: the official codes, old and new, as data.

Two code schemes live side by side: QĐ 19/2025/QĐ-TTg (from 1 July 2025: 34 provinces, 3,321 communes, no
districts) and QĐ 124/2004/QĐ-TTg (63 provinces, districts, ~10k communes) for historical records. Codes are
unique only within a scheme and a kind (an old commune code can equal a new one), so lookups name the scheme.

`path` is the chain of ancestor keys down to the unit ("19/" then "19/05713/"): "inside this jurisdiction"
is one indexed prefix match, whatever the depth of the tree. Nothing here assumes two tiers or three.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeScheme(models.TextChoices):
    QD19_2025 = "qd19_2025", _("QĐ 19/2025/QĐ-TTg (từ 01/7/2025)")
    QD124_2004 = "qd124_2004", _("QĐ 124/2004/QĐ-TTg (trước 01/7/2025)")


CURRENT_SCHEME = CodeScheme.QD19_2025


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh/thành phố")
    DISTRICT = "district", _("Huyện/quận (trước 2025)")
    COMMUNE = "commune", _("Xã/phường/đặc khu")


class UnitCategory(models.TextChoices):
    TINH = "tinh", _("Tỉnh")
    THANH_PHO_TW = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    XA = "xa", _("Xã")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")
    THI_TRAN = "thi_tran", _("Thị trấn")
    HUYEN = "huyen", _("Huyện")
    QUAN = "quan", _("Quận")
    THI_XA = "thi_xa", _("Thị xã")
    THANH_PHO = "thanh_pho", _("Thành phố thuộc tỉnh")


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def current(self, on: datetime.date | None = None) -> AdministrativeUnitQuerySet:
        """Units of the current scheme valid on a date (today by default)."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(scheme=CURRENT_SCHEME, valid_from__lte=day).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=day)
        )

    def within(self, unit: AdministrativeUnit) -> AdministrativeUnitQuerySet:
        """The unit itself and every unit below it."""
        return self.filter(path__startswith=unit.path)


class AdministrativeUnit(models.Model):
    scheme = models.CharField(_("hệ mã"), max_length=16, choices=CodeScheme.choices, default=CURRENT_SCHEME)
    code = models.CharField(_("mã"), max_length=8)
    kind = models.CharField(_("cấp"), max_length=16, choices=UnitKind.choices)
    category = models.CharField(_("loại"), max_length=16, choices=UnitCategory.choices)
    name = models.CharField(_("tên"), max_length=120, help_text=_("Tên không kèm loại, ví dụ “Thái Nguyên”."))
    full_name = models.CharField(_("tên đầy đủ"), max_length=160)
    # Text for the place-and-date line of official documents (NĐ 30/2020): stored, never derived.
    place_name = models.CharField(_("địa danh"), max_length=120, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=64, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    # Old units point at the units that took over their territory (a commune may be split among several).
    successors = models.ManyToManyField(
        "self", verbose_name=_("đơn vị kế thừa"), symmetrical=False, blank=True, related_name="predecessors"
    )

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind", "code"], name="unit_code_unique_per_scheme_kind"),
        ]
        indexes = [
            # Jurisdiction checks: path prefix match (visible_to in every app).
            models.Index(fields=["path"], name="unit_path_idx", opclasses=["varchar_pattern_ops"]),
            # GET /api/v1/units/?parent=..&kind=..
            models.Index(fields=["parent", "kind"], name="unit_parent_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = self.compute_path()
        super().save(*args, **kwargs)  # type: ignore[arg-type] # Django's save() takes keyword options

    @property
    def key(self) -> str:
        """Path segment of this unit: the code, prefixed for legacy units so they never collide."""
        return self.code if self.scheme == CURRENT_SCHEME else f"old{self.code}"

    def compute_path(self) -> str:
        prefix = self.parent.path if self.parent_id and self.parent else ""
        return f"{prefix}{self.key}/"

    @property
    def is_current(self) -> bool:
        return self.scheme == CURRENT_SCHEME and self.valid_to is None

    def province(self) -> AdministrativeUnit:
        unit = self
        while unit.parent_id is not None and unit.kind != UnitKind.PROVINCE:
            unit = unit.parent  # type: ignore[assignment] # parent is set when parent_id is
        return unit
