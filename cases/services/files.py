"""Notes and attachments of the case file. Both only append (no version check): each write adds a timeline
entry and an audit row in the same transaction.

Attachments are checked by childprotect/uploads.py (the name's extension and the file's content must agree, so
a renamed executable is refused). They are stored in private
storage under an opaque name (CaseAttachment.attachment_path): no child data in any path or URL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from cases.access import can_work_case
from cases.models import Case, CaseAttachment, CaseEventType, CaseNote
from cases.services.common import record_case_event
from childprotect.errors import NotAllowed
from childprotect.models import User
from childprotect.services import checked_text
from childprotect.uploads import FileKind, check_upload, clean_name

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
NOTE_MAX_CHARS = 5000


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CASE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_attachment(uploaded: UploadedFile) -> FileKind:
    """Refuse what is too big, or not one of the allowed types by both name and content (Vietnamese messages)."""
    return check_upload(uploaded, limit=max_attachment_bytes(), field="file")


@transaction.atomic
def do_add_note(*, acting_user: User, case: Case, text: str) -> CaseNote:
    if not can_work_case(acting_user, case):
        raise NotAllowed(_("Bạn không thể ghi chú vào hồ sơ này."))
    text = checked_text(
        "text",
        text,
        max_chars=NOTE_MAX_CHARS,
        blank=_("Nhập nội dung ghi chú."),
        too_long=_("Ghi chú quá dài: tối đa %(max)s ký tự."),
    )
    note = CaseNote.objects.create(case=case, author=acting_user, text=text)
    record_case_event(case, actor=acting_user, event_type=CaseEventType.NOTE, details={"note_id": note.pk})
    return note


def do_add_attachment(
    *, acting_user: User, case: Case, uploaded: UploadedFile, description: str = ""
) -> CaseAttachment:
    if not can_work_case(acting_user, case):
        raise NotAllowed(_("Bạn không thể thêm tài liệu vào hồ sơ này."))
    kind = check_attachment(uploaded)
    description = " ".join((description or "").split())[:255]
    attachment = CaseAttachment(
        case=case,
        uploaded_by=acting_user,
        original_name=clean_name(uploaded.name or ""),
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
