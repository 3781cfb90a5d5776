"""Notes and attachments of the case file. Both only append (no version check): each write adds a timeline
entry and an audit row in the same transaction.

Attachments are checked twice — by the file name's extension and by the file's first bytes (or, for Word and
Excel files, by the parts inside the zip) — so a renamed executable is refused. They are stored in private
storage under an opaque name (CaseAttachment.attachment_path): no child data in any path or URL.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from cases.access import can_work_case
from cases.models import Case, CaseAttachment, CaseEventType, CaseNote
from cases.services.common import CaseRuleViolation, record_case_event
from childprotect.models import User

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NOTE_MAX_CHARS = 5000


@dataclass(frozen=True)
class FileKind:
    content_type: str
    label: str


ALLOWED_TYPES: dict[str, FileKind] = {
    "pdf": FileKind("application/pdf", "PDF"),
    "jpg": FileKind("image/jpeg", "JPG"),
    "jpeg": FileKind("image/jpeg", "JPG"),
    "png": FileKind("image/png", "PNG"),
    "docx": FileKind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"),
    "xlsx": FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    "txt": FileKind("text/plain; charset=utf-8", "TXT"),
}


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CASE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def allowed_types_label() -> str:
    return ", ".join(dict.fromkeys(kind.label for kind in ALLOWED_TYPES.values()))


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _content_matches(extension: str, uploaded: UploadedFile) -> bool:
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in {"jpg", "jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {"docx", "xlsx"}:
        if not head.startswith(b"PK\x03\x04"):
            return False
        # Only the zip's directory is read (no decompression): the part that makes it a Word/Excel file.
        marker = "word/document.xml" if extension == "docx" else "xl/workbook.xml"
        try:
            with zipfile.ZipFile(uploaded) as archive:
                found = marker in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            found = False
        uploaded.seek(0)
        return found
    if extension == "txt":
        if b"\x00" in head:
            return False
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            return exc.start >= len(head) - 3
        return True
    return False


def check_attachment(uploaded: UploadedFile) -> FileKind:
    """Refuse what is too big, or not one of the allowed types by both name and content (Vietnamese messages)."""
    limit = max_attachment_bytes()
    if uploaded.size is None or uploaded.size > limit:
        raise ValidationError(
            {"file": _("Tệp quá lớn: tối đa %(limit)s cho mỗi tệp.") % {"limit": filesizeformat(limit)}},
            code="too_big",
        )
    if uploaded.size == 0:
        raise ValidationError({"file": _("Tệp rỗng: hãy chọn lại tệp.")}, code="empty")
    extension = _extension(uploaded.name or "")
    kind = ALLOWED_TYPES.get(extension)
    if kind is None or not _content_matches(extension, uploaded):
        raise ValidationError(
            {
                "file": _("Loại tệp không được chấp nhận. Chỉ nhận các tệp %(types)s có nội dung đúng với loại tệp.")
                % {"types": allowed_types_label()}
            },
            code="wrong_type",
        )
    return kind


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip()
    return cleaned[:200] or "tep"


@transaction.atomic
def do_add_note(*, acting_user: User, case: Case, text: str) -> CaseNote:
    if not can_work_case(acting_user, case):
        raise CaseRuleViolation(_("Bạn không thể ghi chú vào hồ sơ này."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Nhập nội dung ghi chú.")}, code="required")
    if len(text) > NOTE_MAX_CHARS:
        raise ValidationError(
            {"text": _("Ghi chú quá dài: tối đa %(max)s ký tự.") % {"max": NOTE_MAX_CHARS}}, code="too_long"
        )
    note = CaseNote.objects.create(case=case, author=acting_user, text=text)
    record_case_event(case, actor=acting_user, event_type=CaseEventType.NOTE, details={"note_id": note.pk})
    return note


def do_add_attachment(
    *, acting_user: User, case: Case, uploaded: UploadedFile, description: str = ""
) -> CaseAttachment:
    if not can_work_case(acting_user, case):
        raise CaseRuleViolation(_("Bạn không thể thêm tài liệu vào hồ sơ này."))
    kind = check_attachment(uploaded)
    description = " ".join((description or "").split())[:255]
    attachment = CaseAttachment(
        case=case,
        uploaded_by=acting_user,
        original_name=_clean_name(uploaded.name or ""),
        content_type=kind.content_type,
        size=uploaded.size or 0,
        description=description,
    )
    # The file is written first (under an opaque name); if the database part fails it is removed again.
    attachment.file.save("upload", uploaded, save=False)
    try:
        with transaction.atomic():
            attachment.save()
            details: dict[str, Any] = {
                "attachment_id": attachment.pk,
                "size": attachment.size,
                "content_type": kind.content_type.split(";")[0],
            }
            record_case_event(case, actor=acting_user, event_type=CaseEventType.ATTACHMENT, details=details)
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment
