"""Correct a saved directive's header: a draft gets its number and date once signed, the signed file comes
later, a typo is fixed. The tasks are not touched (their leads report against them).

Only the province officers of the directive's province edit, starting from the version they saw: a save based
on a stale version is refused (one conditional UPDATE), so two officers cannot overwrite each other unseen.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.errors import NotAllowed, VersionConflict
from childprotect.models import User
from childprotect.models.audit import AuditAction
from childprotect.services import record_audit_event
from directives.access import can_edit_directive
from directives.models import Directive, DirectiveReference, DocType
from directives.services.create import DirectiveInput, duplicate_reference, link_references
from directives.services.files import check_upload, clean_name

HEADER_FIELDS = (
    "doc_type", "number", "symbol", "issuer", "place", "issued_on", "subject", "recipients", "signer_name",
    "signer_title", "signer_authority", "full_text",
)  # fmt: skip


def do_update_directive(
    *, acting_user: User, directive: Directive, data: DirectiveInput, expected_version: int
) -> Directive:
    """Save the header fields, the references and (if given) a new signed file; audit the changed field names."""
    if not can_edit_directive(acting_user, directive):
        raise NotAllowed(_("Chỉ cán bộ cấp tỉnh của tỉnh này sửa được văn bản."))
    errors: dict[str, str] = {}
    if data.doc_type not in DocType.values:
        errors["doc_type"] = _("Chọn loại văn bản.")
    if message := duplicate_reference(data, directive.province_id, other_than=directive.pk):
        errors["number"] = message
    file_kind = None
    if data.signed_file is not None:
        try:
            file_kind = check_upload(data.signed_file, field="signed_file")
        except ValidationError as exc:
            errors.update({key: " ".join(str(m) for m in msgs) for key, msgs in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    new_values: dict[str, Any] = {
        "doc_type": data.doc_type,
        "number": data.number.strip(),
        "symbol": data.symbol.strip(),
        "issuer": data.issuer.strip(),
        "place": data.place.strip(),
        "issued_on": data.issued_on,
        "subject": data.subject.strip(),
        "recipients": [r.strip() for r in data.recipients if r.strip()],
        "signer_name": data.signer_name.strip(),
        "signer_title": data.signer_title.strip(),
        "signer_authority": data.signer_authority.strip(),
        "full_text": data.full_text,
    }
    changed = [name for name in HEADER_FIELDS if getattr(directive, name) != new_values[name]]
    old_file = directive.signed_file.name if directive.signed_file else ""
    if data.signed_file is not None and file_kind is not None:
        directive.signed_file.save("upload", data.signed_file, save=False)
        new_values |= {
            "signed_file": directive.signed_file.name,
            "signed_file_name": clean_name(data.signed_file.name or ""),
            "signed_file_type": file_kind.content_type,
            "signed_file_size": data.signed_file.size,
        }
        changed.append("signed_file")
    try:
        with transaction.atomic():
            updated = Directive.objects.filter(pk=directive.pk, version=expected_version).update(
                **new_values, version=F("version") + 1, updated_at=timezone.now()
            )
            if updated != 1:
                raise VersionConflict(
                    _(
                        "Văn bản này vừa được người khác sửa sau khi bạn mở. Thay đổi của bạn chưa được lưu: hãy "
                        "tải lại trang để xem bản mới nhất rồi sửa lại."
                    ),
                    version=_current_version(directive),
                )
            references_changed = _replace_references(directive, data)
            directive.refresh_from_db()
            link_references(directive)
            record_audit_event(
                actor=acting_user,
                action=AuditAction.UPDATE,
                target=directive,
                unit_path=directive.unit_path,
                details={"fields": changed + (["references"] if references_changed else [])},
            )
    except Exception:
        if "signed_file" in new_values:
            directive.signed_file.storage.delete(new_values["signed_file"])
        raise
    if old_file and "signed_file" in new_values:
        # The replaced file is removed only once the new one is committed.
        storage = directive.signed_file.storage
        transaction.on_commit(lambda: storage.delete(old_file))
    return directive


def _replace_references(directive: Directive, data: DirectiveInput) -> bool:
    current = [(r.text, r.number, r.symbol) for r in directive.references.all()]
    wanted = [(r.text, r.number, r.symbol) for r in data.references if r.text.strip()]
    if current == wanted:
        return False
    directive.references.all().delete()
    DirectiveReference.objects.bulk_create(
        DirectiveReference(
            directive=directive,
            position=position,
            doc_type=ref.doc_type[:40],
            number=ref.number[:16],
            symbol=ref.symbol[:60],
            issued_on=ref.issued_on,
            text=ref.text,
        )
        for position, ref in enumerate(data.references)
        if ref.text.strip()
    )
    return True


def _current_version(directive: Directive) -> int:
    directive.refresh_from_db(fields=["version"])
    return directive.version
