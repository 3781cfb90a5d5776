"""Controlled vocabularies of directives and their tasks. Labels are Vietnamese."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocType(models.TextChoices):
    """Administrative document types that carry assignments (NĐ 30/2020 Art. 7; Party documents too)."""

    CONG_VAN = "cong_van", _("Công văn")
    KE_HOACH = "ke_hoach", _("Kế hoạch")
    CHI_THI = "chi_thi", _("Chỉ thị")
    QUYET_DINH = "quyet_dinh", _("Quyết định")
    # The same word is the "notifications" menu entry: a context keeps the two apart in translations.
    THONG_BAO = "thong_bao", pgettext_lazy("loại văn bản", "Thông báo")
    HUONG_DAN = "huong_dan", _("Hướng dẫn")
    CHUONG_TRINH = "chuong_trinh", _("Chương trình")
    NGHI_QUYET = "nghi_quyet", _("Nghị quyết")
    CONG_DIEN = "cong_dien", _("Công điện")
    KET_LUAN = "ket_luan", _("Kết luận")
    OTHER = "other", _("Loại khác")


# The importer's type names ("công văn", as directives/importer/header.py returns them) → DocType.
DOC_TYPE_FROM_NAME = {
    "công văn": DocType.CONG_VAN,
    "kế hoạch": DocType.KE_HOACH,
    "chỉ thị": DocType.CHI_THI,
    "quyết định": DocType.QUYET_DINH,
    "thông báo": DocType.THONG_BAO,
    "hướng dẫn": DocType.HUONG_DAN,
    "chương trình": DocType.CHUONG_TRINH,
    "nghị quyết": DocType.NGHI_QUYET,
    "công điện": DocType.CONG_DIEN,
    "kết luận": DocType.KET_LUAN,
}


class DeadlineKind(models.TextChoices):
    NONE = "none", _("Không ghi thời hạn")
    DATE = "date", _("Hạn một lần (ngày cụ thể)")
    RECURRING = "recurring", _("Định kỳ")
    CONTINUOUS = "continuous", _("Thường xuyên")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    SEMIANNUAL = "semiannual", _("6 tháng một lần")
    ANNUAL = "annual", _("Hằng năm")


class TaskStatus(models.TextChoices):
    """Computed (status.py), never stored or typed."""

    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    OVERDUE = "overdue", _("Quá hạn")
    # A task taken back by a follow-up document: nothing of it is due any more (what was done stays done).
    CANCELLED = "cancelled", _("Đã hủy")
    # A task handed to another lead: its open due dates went with it to that lead's task.
    REASSIGNED = "reassigned", _("Đã giao lại")


class TaskChangeKind(models.TextChoices):
    """What a change after saving did to a task (each ordered by a follow-up document, with a reason)."""

    ADDED = "added", _("Thêm nhiệm vụ")
    REASSIGNED = "reassigned", _("Giao lại cho đơn vị khác")
    REDATED = "redated", _("Đổi thời hạn")
    CANCELLED = "cancelled", _("Hủy nhiệm vụ")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ xem xét")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    RETURNED = "returned", _("Trả lại để bổ sung")
