"""Checking an uploaded file, for every app that takes one (case attachments, directive files, task reports).

Two checks must agree: the name's extension and the file's first bytes (or, for Word and Excel files, the parts
inside the zip), so a renamed executable is refused. Each app stores accepted files in private storage under an
opaque name and serves them only through its access-checked views; it passes its own size limit and form field.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


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


def download_responses() -> dict[tuple[int, str], Any]:
    """The OpenAPI answer of an endpoint that serves an uploaded file back: one binary body per allowed type."""
    from drf_spectacular.types import OpenApiTypes

    media_types = sorted({kind.content_type.split(";")[0] for kind in ALLOWED_TYPES.values()})
    return {(200, media_type): OpenApiTypes.BINARY for media_type in media_types}


# The file input's `accept`: the same extensions, so the browser offers only what will be taken.
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ALLOWED_TYPES)


def allowed_types_label() -> str:
    return ", ".join(dict.fromkeys(kind.label for kind in ALLOWED_TYPES.values()))


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _content_matches(extension: str, uploaded: Any) -> bool:
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    if extension == "pdf":
        return bool(head.startswith(b"%PDF-"))
    if extension in {"jpg", "jpeg"}:
        return bool(head.startswith(b"\xff\xd8\xff"))
    if extension == "png":
        return bool(head.startswith(b"\x89PNG\r\n\x1a\n"))
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


def check_upload(uploaded: UploadedFile, *, limit: int, field: str) -> FileKind:
    """Refuse what is too big, empty, or not one of the allowed types by both name and content; the Vietnamese
    message is attached to `field`, the form field the file came from."""
    if uploaded.size is None or uploaded.size > limit:
        raise ValidationError(
            {field: _("Tệp quá lớn: tối đa %(limit)s cho mỗi tệp.") % {"limit": filesizeformat(limit)}}, code="too_big"
        )
    if uploaded.size == 0:
        raise ValidationError({field: _("Tệp rỗng: hãy chọn lại tệp.")}, code="empty")
    extension = _extension(uploaded.name or "")
    kind = ALLOWED_TYPES.get(extension)
    if kind is None or not _content_matches(extension, uploaded):
        raise ValidationError(
            {
                field: _("Loại tệp không được chấp nhận. Chỉ nhận các tệp %(types)s có nội dung đúng với loại tệp.")
                % {"types": allowed_types_label()}
            },
            code="wrong_type",
        )
    return kind


def clean_name(name: str) -> str:
    """The uploaded file's own name, as shown on download: no path, no characters file systems refuse."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?').strip()
    return cleaned[:200] or "tep"
