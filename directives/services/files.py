"""Uploaded files of directives (the signed document) and of task reports (evidence): the platform's checks
(childprotect/uploads.py) with the directives' own size limit. Files are stored in private storage under an
opaque name and served only through access-checked views.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from childprotect.uploads import ACCEPT_ATTRIBUTE, FileKind, allowed_types_label, clean_name
from childprotect.uploads import check_upload as check_platform_upload

__all__ = ["ACCEPT_ATTRIBUTE", "check_upload", "clean_name", "max_upload_bytes", "upload_help_text"]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "DIRECTIVE_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_help_text() -> str:
    return _("Các loại %(types)s, tối đa %(limit)s.") % {
        "types": allowed_types_label(),
        "limit": filesizeformat(max_upload_bytes()),
    }


def check_upload(uploaded: UploadedFile, field: str = "attachment") -> FileKind:
    """Refuse what is too big, empty, or not one of the allowed types by both name and content."""
    return check_platform_upload(uploaded, limit=max_upload_bytes(), field=field)
