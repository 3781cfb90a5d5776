"""The directive itself and the documents it implements."""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directives.models.choices import DocType
from directives.querysets import DirectiveQuerySet


def signed_file_path(instance: Directive, filename: str) -> str:
    # An opaque name: the original file name is kept in a column, never in a path.
    return f"directives/{instance.province_id}/{uuid.uuid4().hex}"


class Directive(models.Model):
    # The province that tracks the directive: its officers create it, see all of it and review its reports.
    province = models.ForeignKey(
        "childprotect.AdministrativeUnit", verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="+"
    )
    # The province's path, copied so visible_to() is one indexed prefix match without a join.
    unit_path = models.CharField(max_length=64, editable=False)
    doc_type = models.CharField(_("loại văn bản"), max_length=16, choices=DocType.choices)
    # Both blank in a draft ("Số: /UBND-VX"): left empty, never invented.
    number = models.CharField(_("số"), max_length=16, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True)
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    recipients = ArrayField(models.CharField(max_length=300), verbose_name=_("nơi nhận"), default=list, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_authority = models.CharField(
        _("thẩm quyền ký"), max_length=120, blank=True, help_text=_("TM., KT., Q., TL., TUQ. …")
    )
    full_text = models.TextField(_("toàn văn"), blank=True)
    signed_file = models.FileField(_("bản có chữ ký"), upload_to=signed_file_path, max_length=200, blank=True)
    signed_file_name = models.CharField(max_length=200, blank=True)
    signed_file_type = models.CharField(max_length=100, blank=True)
    signed_file_size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        "childprotect.User", verbose_name=_("người nhập"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("nhập lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    # Optimistic locking: officers of the province may all correct the header (a draft gets its number and date
    # once signed); a save based on a stale version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = DirectiveQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        indexes = [
            # The directive list of a province, newest first.
            models.Index(
                fields=["unit_path", "-created_at"],
                name="directive_unit_created_idx",
                opclasses=["varchar_pattern_ops", ""],
            ),
            # Linking "Thực hiện Công văn số 1740-CV/TU" to a directive already in the system.
            models.Index(fields=["province", "number", "symbol"], name="directive_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} {self.reference}"

    @property
    def reference(self) -> str:
        """ "5310/UBND-KGVX"; a draft without a number shows "…/UBND-VX"."""
        if self.number and self.symbol:
            return f"{self.number}/{self.symbol}"
        if self.symbol:
            return f"…/{self.symbol}"
        return self.number or gettext("(chưa có số)")


class DirectiveReference(models.Model):
    """A document the directive implements or is based on ("Thực hiện Công văn số 1740-CV/TU ngày …")."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="references")
    position = models.PositiveSmallIntegerField(default=0)
    doc_type = models.CharField(_("loại văn bản"), max_length=40, blank=True)
    number = models.CharField(_("số"), max_length=16, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày"), null=True, blank=True)
    text = models.TextField(_("trích dẫn"))
    # Set when that document is itself a directive in the system (same province, same number and symbol).
    implements = models.ForeignKey(
        Directive, null=True, blank=True, on_delete=models.SET_NULL, related_name="implemented_by"
    )

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["number", "symbol"], name="directive_ref_number_idx")]
