"""The child, their caregivers, and the confidential identity of whoever reported."""

from __future__ import annotations

import datetime
import re

from django.contrib.postgres.indexes import GinIndex
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models.choices import Disability, EthnicityCodeSystem, ReportChannel, Sex
from childprotect.text.vietnamese import person_sort_key, search_key

id_number_validator = RegexValidator(r"^\d{12}$", _("Số định danh cá nhân gồm đúng 12 chữ số."))


def id_number_warning(id_number: str, *, date_of_birth: datetime.date | None, birth_year: int | None, sex: str) -> str:
    """A soft check (domain.md §11.3): the 4th digit encodes century and sex, the 5th–6th the birth year.
    Returns a warning to show, never an error: registers have data-quality problems."""
    if not re.fullmatch(r"\d{12}", id_number or ""):
        return ""
    digit = int(id_number[3])
    century = 1900 + 100 * (digit // 2)
    id_sex = Sex.MALE if digit % 2 == 0 else Sex.FEMALE
    problems = []
    year = date_of_birth.year if date_of_birth else birth_year
    if year is not None:
        if year // 100 * 100 != century:
            problems.append(gettext("thế kỷ sinh"))
        elif date_of_birth and int(id_number[4:6]) != year % 100:
            problems.append(gettext("năm sinh"))
    if sex in {Sex.MALE, Sex.FEMALE} and sex != id_sex:
        problems.append(gettext("giới tính"))
    if not problems:
        return ""
    return gettext(
        "Lưu ý: số định danh không khớp với %(what)s đã nhập. Hãy kiểm tra lại; nếu đúng như giấy tờ, "
        "vẫn có thể ghi nhận."
    ) % {"what": ", ".join(problems)}


class Child(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=120)
    # Derived on save (childprotect/text/vietnamese.py): diacritic-free search text and dictionary sort key.
    name_search = models.CharField(max_length=120, editable=False, db_index=False)
    name_sort = models.CharField(max_length=400, editable=False, db_collation="C")
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    # When only an age is known: the estimated year of birth, flagged as estimated.
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    birth_date_estimated = models.BooleanField(_("ngày sinh ước tính"), default=False)
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity_code = models.CharField(_("mã dân tộc"), max_length=4, blank=True)
    ethnicity_code_system = models.CharField(
        _("danh mục mã dân tộc"),
        max_length=16,
        choices=EthnicityCodeSystem.choices,
        default=EthnicityCodeSystem.QD121_1979,
    )
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True, validators=[id_number_validator])
    disability = models.CharField(_("khuyết tật"), max_length=20, choices=Disability.choices, default=Disability.NONE)
    commune = models.ForeignKey(
        "childprotect.AdministrativeUnit",
        verbose_name=_("xã, phường nơi cư trú"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The residence commune's path, copied so jurisdiction checks need no join.
    unit_path = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey("childprotect.User", null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("trẻ em")
        verbose_name_plural = _("trẻ em")
        indexes = [
            # Duplicate check and name search: trigram similarity on the diacritic-free name.
            GinIndex(fields=["name_search"], name="child_name_search_trgm", opclasses=["gin_trgm_ops"]),
            models.Index(fields=["id_number"], name="child_id_number_idx"),
            models.Index(fields=["unit_path"], name="child_unit_path_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_derived_fields()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def refresh_derived_fields(self) -> None:
        self.name_search = search_key(self.full_name)
        self.name_sort = person_sort_key(self.full_name)
        if self.commune_id:
            self.unit_path = self.commune.path


class ChildNameKey(models.Model):
    """One row per word start of a child's search name: "nguyen thi huong", "thi huong", "huong".

    The name search looks up `key LIKE 'what was typed%'` in a B-tree, which reads only the matching rows
    however many children there are (the trigram index had to merge posting lists of trigrams such as "ngu"
    that occur in a third of all names). Written by a database trigger on cases_child (migration 0005), so
    every path that writes a child, COPY included, keeps it right; never written by the application.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=120)

    class Meta:
        indexes = [
            models.Index(fields=["key"], name="child_name_key_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["child"], name="child_name_key_child_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class Caregiver(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="caregivers")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    relationship = models.CharField(_("quan hệ với trẻ"), max_length=60)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    is_alleged_perpetrator = models.BooleanField(_("là người bị nghi gây hại"), default=False)

    class Meta:
        verbose_name = _("người chăm sóc")
        verbose_name_plural = _("người chăm sóc")

    def __str__(self) -> str:
        return self.full_name


class Reporter(models.Model):
    """Who reported. Name and phone are confidential (NĐ56 Art. 24): only case-working roles of the child's
    commune and province ever see them — never agencies, never the hotline after hand-over, never emails."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="reporter")
    channel = models.CharField(_("kênh tiếp nhận"), max_length=24, choices=ReportChannel.choices)
    name = models.CharField(_("họ tên người báo tin"), max_length=120, blank=True)
    phone = models.CharField(_("điện thoại người báo tin"), max_length=32, blank=True)
    relationship = models.CharField(_("quan hệ với trẻ"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("người báo tin")
        verbose_name_plural = _("người báo tin")

    def __str__(self) -> str:
        return self.get_channel_display()
