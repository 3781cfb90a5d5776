"""Every kind of notification the system sends, each with its subject and body, in one place.

A notification is stored as its kind and the values that fill its texts (`Notification.params`: case numbers,
agency and commune names, codes and dates), never as text: `render()` writes the subject and body when they are
shown (in the reader's language: the page's) or sent (in the recipient's: `User.language`). So a user who reads
English gets English, also for notifications written while the site spoke Vietnamese.

Values that have a translated name are stored as their code (an urgency, a step, a kind of report) and named here
by the import path of their choices, resolved when rendered: the platform imports no domain app.

Nothing here may carry a child's data: the texts name case numbers, documents and agencies; links carry ids.

To add a kind: a member of NotificationKind, its Message in MESSAGES (the test of this module checks both, and
that every message renders), then `notify(recipients, kind=NotificationKind.X, params={...}, url=...)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from childprotect.text.dates import day, local_time


class NotificationKind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", _("Chuyển gửi mới")
    REFERRAL_ACCEPTED = "referral_accepted", _("Chuyển gửi được tiếp nhận")
    REFERRAL_DECLINED = "referral_declined", _("Chuyển gửi bị từ chối")
    REFERRAL_PROGRESS = "referral_progress", _("Tiến độ chuyển gửi")
    REFERRAL_COMPLETED = "referral_completed", _("Chuyển gửi hoàn thành")
    REFERRAL_WITHDRAWN = "referral_withdrawn", _("Chuyển gửi được rút lại")
    REFERRAL_OVERDUE = "referral_overdue", _("Chuyển gửi quá hạn phản hồi")
    TRANSFER_REQUESTED = "transfer_requested", _("Đề nghị nhận hồ sơ")
    TRANSFER_ACCEPTED = "transfer_accepted", _("Hồ sơ được nhận")
    TRANSFER_DECLINED = "transfer_declined", _("Hồ sơ bị từ chối nhận")
    TRANSFER_CANCELLED = "transfer_cancelled", _("Đề nghị chuyển hồ sơ bị hủy")
    CASE_DEADLINE_OVERDUE = "case_deadline_overdue", _("Bước của hồ sơ quá hạn")
    CASE_DEADLINE_REMINDER = "case_deadline_reminder", _("Bước của hồ sơ sắp đến hạn")
    DIRECTIVE_TASKS_NEW = "directive_tasks_new", _("Nhiệm vụ mới")
    DIRECTIVE_TASK_REMINDER = "directive_task_reminder", _("Nhiệm vụ sắp đến hạn")
    DIRECTIVE_TASK_OVERDUE = "directive_task_overdue", _("Nhiệm vụ quá hạn")
    DIRECTIVE_REPORT_SUBMITTED = "directive_report_submitted", _("Báo cáo nhiệm vụ mới")
    DIRECTIVE_REPORT_ACCEPTED = "directive_report_accepted", _("Báo cáo nhiệm vụ được chấp nhận")
    DIRECTIVE_REPORT_RETURNED = "directive_report_returned", _("Báo cáo nhiệm vụ bị trả lại")
    DIRECTIVE_TASK_CHANGED = "directive_task_changed", _("Nhiệm vụ thay đổi theo văn bản chỉ đạo sau")
    REPORT_READY = "report_ready", _("Báo cáo định kỳ đã lập xong")


# --- How stored values become words ------------------------------------------------------------------------------

Words = Callable[[Mapping[str, Any]], str]


def choice_label(choices_path: str, key: str, *, short: bool = False) -> Words:
    """The translated name of the code stored under `key`, from the TextChoices at `choices_path`. `short`
    drops what the name says in brackets ("Xây dựng kế hoạch (5 ngày làm việc)" → "Xây dựng kế hoạch")."""

    def words(params: Mapping[str, Any]) -> str:
        choices = import_string(choices_path)
        value = params[key]
        name = str(choices(value).label) if value in choices.values else str(value)
        return name.split(" (", 1)[0] if short else name

    return words


def moment(key: str) -> Words:
    def words(params: Mapping[str, Any]) -> str:
        parsed = parse_datetime(params[key])
        return local_time(parsed) if parsed else ""

    return words


def date(key: str) -> Words:
    def words(params: Mapping[str, Any]) -> str:
        parsed = parse_date(params[key]) if params.get(key) else None
        return day(parsed) if parsed else ""

    return words


def task_ref(params: Mapping[str, Any]) -> str:
    """ "văn bản 5310/UBND-KGVX, mục 3": how a directive's task is named (no free text of the task)."""
    if params.get("item"):
        return gettext("văn bản %(ref)s, mục %(item)s") % {"ref": params["reference"], "item": params["item"]}
    return gettext("văn bản %(ref)s") % {"ref": params["reference"]}


def order_ref(params: Mapping[str, Any]) -> str:
    """ "văn bản 812/UBND-KGVX": the follow-up document that ordered a change, by its number/symbol only (its
    text, as the officer typed it, never leaves the system); "văn bản chỉ đạo mới" when it has none."""
    if params.get("order"):
        return gettext("văn bản %(ref)s") % {"ref": params["order"]}
    return gettext("văn bản chỉ đạo mới")


def deadline_rule(key: str) -> Words:
    """A deadline rule stored as its codes (directives.recurrence.DeadlineRule.to_value), in words."""

    def words(params: Mapping[str, Any]) -> str:
        rule_class = import_string("directives.recurrence.DeadlineRule")
        return str(rule_class.from_proposal(params.get(key)).describe())

    return words


@dataclass(frozen=True)
class Message:
    """A kind's subject and body: %(name)s is filled from the stored params, and from `words` for values that
    are written in the reader's language. `variants` are other texts of the same kind, chosen by
    params["variant"] (the same event told to different people, or a completion rather than progress)."""

    subject: Any
    body: Any
    words: Mapping[str, Words] = field(default_factory=dict)
    variants: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)

    def render(self, params: Mapping[str, Any]) -> tuple[str, str]:
        values = {key: value for key, value in params.items() if isinstance(value, str | int)}
        values |= {name: words(params) for name, words in self.words.items()}
        subject, body = self.variants.get(str(params.get("variant", "")), (self.subject, self.body))
        return str(subject) % values, str(body) % values


K = NotificationKind
URGENCY = choice_label("cases.models.referral.ReferralUrgency", "urgency")
STEP = choice_label("cases.models.choices.DeadlineStep", "step", short=True)

MESSAGES: dict[NotificationKind, Message] = {
    # Referrals (cases/services/referrals.py, cases/services/referral_sweep.py). Params: number, agency.
    K.REFERRAL_RECEIVED: Message(
        _("Chuyển gửi mới: hồ sơ %(number)s (%(urgency)s)"),
        _(
            "%(agency)s nhận một chuyển gửi của hồ sơ %(number)s, mức độ: %(urgency)s. Hạn phản hồi: %(due)s. "
            "Mở liên kết để xem và tiếp nhận hoặc từ chối."
        ),
        words={"urgency": URGENCY, "due": moment("due")},
    ),
    K.REFERRAL_ACCEPTED: Message(
        _("Hồ sơ %(number)s: %(agency)s đã tiếp nhận chuyển gửi"),
        _("%(agency)s đã tiếp nhận chuyển gửi của hồ sơ %(number)s."),
    ),
    K.REFERRAL_DECLINED: Message(
        _("Hồ sơ %(number)s: %(agency)s từ chối chuyển gửi"),
        _("%(agency)s từ chối chuyển gửi của hồ sơ %(number)s. Mở hồ sơ để xem lý do và chuyển gửi nơi khác."),
    ),
    K.REFERRAL_PROGRESS: Message(
        _("Hồ sơ %(number)s: %(agency)s cập nhật tiến độ"),
        _("%(agency)s đã cập nhật tiến độ chuyển gửi của hồ sơ %(number)s."),
    ),
    K.REFERRAL_COMPLETED: Message(
        _("Hồ sơ %(number)s: %(agency)s đã hoàn thành chuyển gửi"),
        _("%(agency)s đã hoàn thành chuyển gửi của hồ sơ %(number)s. Mở hồ sơ để xem kết quả."),
    ),
    K.REFERRAL_WITHDRAWN: Message(
        _("Hồ sơ %(number)s: chuyển gửi đã được rút lại"),
        _("Nơi gửi đã rút lại chuyển gửi của hồ sơ %(number)s tới %(agency)s. Không cần xử lý thêm."),
    ),
    # The province officers by default; variants "sender" (the sending side) and "agency" (its focal points).
    K.REFERRAL_OVERDUE: Message(
        _("Hồ sơ %(number)s: %(agency)s chưa phản hồi chuyển gửi"),
        _(
            "Chuyển gửi của hồ sơ %(number)s tới %(agency)s (mức độ: %(urgency)s) chưa được phản hồi, "
            "đã quá hạn lúc %(due)s. Đề nghị đôn đốc cơ quan này."
        ),
        words={"urgency": URGENCY, "due": moment("due")},
        variants={
            "sender": (
                _("Hồ sơ %(number)s: %(agency)s chưa phản hồi chuyển gửi"),
                _(
                    "%(agency)s chưa phản hồi chuyển gửi của hồ sơ %(number)s; hạn là %(due)s. "
                    "Cán bộ cấp tỉnh đã được báo."
                ),
            ),
            "agency": (
                _("Quá hạn phản hồi chuyển gửi: hồ sơ %(number)s"),
                _("Chuyển gửi của hồ sơ %(number)s tới %(agency)s đã quá hạn phản hồi (%(due)s). Hãy phản hồi ngay."),
            ),
        },
    ),
    # Transfers between communes (cases/services/transfers.py). Params: number, and the commune it comes from
    # ("from") or goes to ("to").
    K.TRANSFER_REQUESTED: Message(
        _("Đề nghị nhận hồ sơ %(number)s từ %(from)s"),
        _(
            "%(from)s đề nghị chuyển hồ sơ %(number)s sang xã, phường của bạn (trẻ chuyển nơi ở). "
            "Mở liên kết để xem và đồng ý nhận hoặc từ chối."
        ),
    ),
    K.TRANSFER_ACCEPTED: Message(
        _("Hồ sơ %(number)s đã được %(to)s nhận"),
        _("%(to)s đã đồng ý nhận hồ sơ %(number)s; từ nay xã, phường đó phụ trách hồ sơ."),
    ),
    K.TRANSFER_DECLINED: Message(
        _("%(to)s từ chối nhận hồ sơ %(number)s"),
        _("%(to)s từ chối nhận hồ sơ %(number)s. Hồ sơ vẫn do xã, phường của bạn phụ trách."),
    ),
    K.TRANSFER_CANCELLED: Message(
        _("%(from)s đã hủy đề nghị chuyển hồ sơ %(number)s"),
        _("%(from)s đã hủy đề nghị chuyển hồ sơ %(number)s. Không cần xử lý thêm."),
    ),
    # Statutory deadlines (cases/services/sweep.py). Params: number, step (a DeadlineStep), due.
    K.CASE_DEADLINE_OVERDUE: Message(
        _("Hồ sơ %(number)s: quá hạn bước «%(step)s»"),
        _("Bước «%(step)s» của hồ sơ %(number)s đã quá hạn lúc %(due)s. Mở hồ sơ để xử lý."),
        words={"step": STEP, "due": moment("due")},
    ),
    K.CASE_DEADLINE_REMINDER: Message(
        _("Hồ sơ %(number)s: sắp đến hạn bước «%(step)s»"),
        _("Bước «%(step)s» của hồ sơ %(number)s đến hạn lúc %(due)s. Mở hồ sơ để xử lý."),
        words={"step": STEP, "due": moment("due")},
    ),
    # Directive tasks (directives/services/). Params: reference (the document's number/symbol), item (the task's
    # label in it, or ""), lead (the lead's name), due (a date).
    K.DIRECTIVE_TASKS_NEW: Message(
        _("Nhiệm vụ mới theo văn bản %(ref)s"),
        _("Đơn vị của bạn được giao nhiệm vụ theo văn bản %(ref)s. Mở văn bản để xem nhiệm vụ và báo cáo tiến độ."),
        words={"ref": lambda params: str(params["reference"])},
    ),
    K.DIRECTIVE_TASK_REMINDER: Message(
        _("Sắp đến hạn %(due)s: %(ref)s"),
        _("Nhiệm vụ (%(ref)s) đến hạn ngày %(due)s. Mở nhiệm vụ để báo cáo tiến độ hoặc hoàn thành."),
        words={"ref": task_ref, "due": date("due")},
    ),
    K.DIRECTIVE_TASK_OVERDUE: Message(
        _("Quá hạn %(due)s: %(ref)s — %(lead)s"),
        _("Nhiệm vụ (%(ref)s) của %(lead)s đã quá hạn ngày %(due)s mà chưa có báo cáo hoàn thành."),
        words={"ref": task_ref, "due": date("due")},
    ),
    # A progress report by default; variant "completion".
    K.DIRECTIVE_REPORT_SUBMITTED: Message(
        _("Báo cáo tiến độ: %(ref)s"),
        _("%(lead)s đã gửi báo cáo về nhiệm vụ (%(ref)s). Mở nhiệm vụ để xem xét."),
        words={"ref": task_ref},
        variants={
            "completion": (
                _("Báo cáo hoàn thành: %(ref)s"),
                _("%(lead)s đã gửi báo cáo về nhiệm vụ (%(ref)s). Mở nhiệm vụ để xem xét."),
            )
        },
    ),
    K.DIRECTIVE_REPORT_ACCEPTED: Message(
        _("Báo cáo đã được chấp nhận: %(ref)s"),
        _("Cán bộ cấp tỉnh đã chấp nhận báo cáo của đơn vị bạn (%(ref)s)."),
        words={"ref": task_ref},
    ),
    K.DIRECTIVE_REPORT_RETURNED: Message(
        _("Báo cáo bị trả lại để bổ sung: %(ref)s"),
        _("Cán bộ cấp tỉnh đã trả lại báo cáo của đơn vị bạn (%(ref)s). Mở nhiệm vụ để xem lý do và báo cáo lại."),
        words={"ref": task_ref},
    ),
    # Changes after saving, each ordered by a follow-up document (directives/services/changes.py). Params: reference,
    # item, order (the follow-up document's number/symbol, or ""), and per variant: lead (the other lead: the
    # new one for "handed_over", the previous one for "taken_over"), rule (the new deadline, as its codes). A new
    # deadline by default; variants "added", "handed_over" (to the lead that gave it up), "taken_over" (to the
    # lead that takes it) and "cancelled".
    K.DIRECTIVE_TASK_CHANGED: Message(
        _("Đổi thời hạn: %(ref)s"),
        _("Thời hạn của nhiệm vụ (%(ref)s) đổi thành: %(rule)s, theo %(order)s. Mở nhiệm vụ để xem các kỳ hạn."),
        words={"ref": task_ref, "order": order_ref, "rule": deadline_rule("rule")},
        variants={
            "added": (
                _("Nhiệm vụ mới theo văn bản %(reference)s"),
                _("Đơn vị của bạn được giao thêm nhiệm vụ (%(ref)s) theo %(order)s. Mở nhiệm vụ để xem và báo cáo."),
            ),
            "handed_over": (
                _("Nhiệm vụ đã giao lại: %(ref)s"),
                _(
                    "Nhiệm vụ (%(ref)s) của đơn vị bạn đã được giao cho %(lead)s theo %(order)s; các kỳ chưa hoàn "
                    "thành chuyển sang đơn vị đó."
                ),
            ),
            "taken_over": (
                _("Nhiệm vụ được giao cho đơn vị bạn: %(ref)s"),
                _(
                    "Theo %(order)s, đơn vị bạn chủ trì nhiệm vụ (%(ref)s) thay %(lead)s. Mở nhiệm vụ để xem và "
                    "báo cáo."
                ),
            ),
            "cancelled": (
                _("Nhiệm vụ đã hủy: %(ref)s"),
                _("Nhiệm vụ (%(ref)s) của đơn vị bạn đã được hủy theo %(order)s: không cần báo cáo các kỳ còn lại."),
            ),
        },
    ),
    # Periodic reports (reporting/services.py). Params: kind (a ReportKind), year, unit (its full name), due.
    K.REPORT_READY: Message(
        _("%(kind)s năm %(year)s (%(unit)s) đã lập xong, chờ rà soát"),
        _("Hạn gửi báo cáo: %(due)s. Hãy rà soát số liệu và các cảnh báo trước khi khóa."),
        words={"kind": choice_label("reporting.models.ReportKind", "kind"), "due": date("due")},
    ),
}


def render(kind: str, params: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of a notification, in the active language. Rows written before kinds were rendered carry
    their text in params["legacy"] (Vietnamese, as it was stored)."""
    if "legacy" in params:
        legacy = params["legacy"]
        return str(legacy.get("title", "")), str(legacy.get("body", ""))
    return MESSAGES[NotificationKind(kind)].render(params)


def storable(params: Mapping[str, Any]) -> dict[str, Any]:
    """Params as they are stored (JSON): moments and days in ISO 8601, choices as their codes."""
    stored: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, datetime.date):  # datetimes too
            stored[key] = value.isoformat()
        elif isinstance(value, models.Choices):
            stored[key] = value.value
        else:
            stored[key] = value
    return stored
