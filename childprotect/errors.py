"""The one vocabulary of refusals, shared by every app, and the one helper that puts a refusal on a form.

A `do_*` service refuses in one of four ways, and nothing else:

- `django.core.exceptions.ValidationError` — the input is wrong; keyed by field when it belongs to one. HTTP 400.
  `RowErrors` is the same for a list of rows (the items of a plan): one dict of field errors per row.
- `NotAllowed` — this user may see the record but may not take this step (a chair-only step, another agency's
  referral). HTTP 403.
- `RuleViolation` — the record's current state does not allow the step now (wrong status, a prerequisite
  missing, already answered). HTTP 409: reload the record, nothing was saved.
- `VersionConflict` — someone changed the record since the user loaded it (optimistic locking). HTTP 409 with
  the record's current `version`: reload, check, send again.

Messages are Vietnamese source strings, translated when raised. A record the user may not see at all is never
refused with these: it is the 404 of `childprotect.access.not_found()`, as for a record that does not exist.

Pages and endpoints never catch these by hand. The API turns them into responses in one place
(`childprotect.api.errors.api_exception_handler`); a page wraps its service call in `refusals_on(form)`, which
puts the message next to the field it names (or on top of the form) and tells the view what happened.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest


class ServiceError(Exception):
    """A step a service refused; nothing was saved. Subclasses fix the HTTP status and the stable `code`."""

    status_code: ClassVar[int] = 409
    code: ClassVar[str] = "refused"

    def __init__(self, message: Any) -> None:
        self.message = str(message)
        super().__init__(self.message)


class NotAllowed(ServiceError):
    """The user's role (or side of the record) does not take this step."""

    status_code = 403
    code = "not_allowed"


class RuleViolation(ServiceError):
    """The procedure does not allow this step in the record's current state."""

    status_code = 409
    code = "rule_violation"


class VersionConflict(ServiceError):
    """The record changed since the user loaded it. `version` is its current version, when known."""

    status_code = 409
    code = "version_conflict"

    def __init__(self, message: Any = None, *, version: int | None = None) -> None:
        self.version = version
        super().__init__(
            message
            or gettext(
                "Bản ghi này vừa được người khác cập nhật sau khi bạn mở. Thay đổi của bạn chưa được lưu: hãy tải "
                "lại trang để xem bản mới nhất rồi thực hiện lại."
            )
        )


class RowErrors(ValidationError):
    """Some rows of a list are invalid: `rows[i]` maps field → message for the i-th row (empty when it is fine).
    The API answers `{field: {"<i>": {"<row field>": ["message"]}}}`, like DRF's own errors of a list."""

    def __init__(self, field: str, rows: list[dict[str, str]], message: Any) -> None:
        self.field = field
        self.rows = rows
        super().__init__(str(message), code="rows")


def messages_of(error: Exception) -> list[str]:
    """The user-facing messages of a refusal, in order."""
    if isinstance(error, ValidationError):
        return [str(message) for message in error.messages]
    return [str(error)]


class Refusal:
    """What `refusals_on` caught: falsy when the service went through."""

    def __init__(self) -> None:
        self.error: Exception | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, VersionConflict)

    @property
    def of_step(self) -> bool:
        """The step itself was refused (not allowed, not now, stale), rather than what was typed."""
        return isinstance(self.error, ServiceError)

    @property
    def status(self) -> int:
        """The status of the page that shows the form again: 409 after a version conflict, else 400."""
        return 409 if self.conflict else 400

    @property
    def message(self) -> str:
        return " ".join(messages_of(self.error)) if self.error is not None else ""

    def show_on(self, form: forms.BaseForm | Sequence[forms.BaseForm]) -> None:
        """Put the refusal on another form too (after a version conflict the page rebuilds its form)."""
        if self.error is not None:
            put_on_form(form, self.error)


def put_on_form(
    form: forms.BaseForm | Sequence[forms.BaseForm] | None,
    error: Exception,
    *,
    rows: Mapping[str, Sequence[forms.BaseForm]] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Show a refusal where the user will look: a field error next to its field, anything else on top of the
    (first) form. A page of several forms passes them all: each field error goes to the form with that field.
    `rows` names the row forms of a list: the key "tasks.2.leads" goes to `rows["tasks"][2]`, and a `RowErrors`
    of field "items" to `rows["items"]`. With `request`, a refusal of the step itself (a ServiceError) is a
    message on top of the page instead (the form may no longer be offered), and so is everything when there is
    no form."""
    rows = rows or {}
    targets = [] if form is None else [form] if not isinstance(form, Sequence) else list(form)
    if not targets or (request is not None and isinstance(error, ServiceError)):
        if request is None:
            raise ValueError("put_on_form needs a form or a request")
        from django.contrib import messages

        for text in messages_of(error):
            messages.error(request, text)
        return
    if isinstance(error, RowErrors) and error.field in rows:
        for row_form, row_errors in zip(rows[error.field], error.rows, strict=False):
            for field, text in row_errors.items():
                row_form.add_error(field if field in row_form.fields else None, text)
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for key, texts in error.message_dict.items():
            target, target_field = _target(targets, key, rows)
            for text in texts:
                target.add_error(target_field, text)
        return
    for text in messages_of(error):
        targets[0].add_error(None, text)


def _target(
    targets: list[forms.BaseForm], key: str, rows: Mapping[str, Sequence[forms.BaseForm]]
) -> tuple[forms.BaseForm, str | None]:
    name, _dot, rest = key.partition(".")
    if name in rows and rest:
        index, _dot, field = rest.partition(".")
        if index.isdigit() and int(index) < len(rows[name]):
            row_form = rows[name][int(index)]
            return row_form, field if field in row_form.fields else None
    for target in targets:
        if key in target.fields:
            return target, key
    return targets[0], None


@contextmanager
def refusals_on(
    form: forms.BaseForm | Sequence[forms.BaseForm] | None = None,
    *,
    rows: Mapping[str, Sequence[forms.BaseForm]] | None = None,
    request: HttpRequest | None = None,
) -> Iterator[Refusal]:
    """Run a service call; if it refuses (ServiceError or ValidationError), put the refusal on the form (see
    `put_on_form`) and carry on with the returned `Refusal` set, instead of raising:

        with refusals_on(form) as refused:
            do_something(acting_user=user, ...)
        if not refused:
            return redirect(...)
        return render(..., status=refused.status)

    Wrap the whole transaction (an outer `transaction.atomic()` goes inside the `with`), so it is rolled back
    before the page is drawn again. Any other exception is not a refusal and propagates.
    """
    refusal = Refusal()
    try:
        yield refusal
    except (ServiceError, ValidationError) as error:
        refusal.error = error
        put_on_form(form, error, rows=rows, request=request)
