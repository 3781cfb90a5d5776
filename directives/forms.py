"""Forms of the directive pages: paste, review (the directive and one form per proposed task), report, return.

The review forms take what the importer proposed as initial values; bound again on "Xác nhận", they keep
everything the officer typed when something is wrong (Django re-renders bound values), and each error sits next
to its field. Only the signed file must be chosen again after an error (browsers never re-fill file inputs).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from childprotect.validators import UniqueMultipleChoiceField
from childprotect.widgets import DATE_INPUT
from directives.importer.parse import MAX_TEXT_LENGTH
from directives.models import DeadlineKind, DocType, Frequency
from directives.proposal import Directory, parse_reference_line
from directives.recurrence import DeadlineRule
from directives.services.changes import ChangeOrder
from directives.services.create import DirectiveInput, LeadChoice, TaskInput, is_late_import
from directives.services.files import ACCEPT_ATTRIBUTE, upload_help_text
from directives.services.reports import REASON_MAX_CHARS, REPORT_MAX_CHARS


def _lines(value: str) -> list[str]:
    return [" ".join(line.split()).strip(" ;.-") for line in (value or "").splitlines() if line.strip(" ;.-")]


class PasteForm(forms.Form):
    text = forms.CharField(
        label=_("Toàn văn văn bản"),
        max_length=MAX_TEXT_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=_(
            "Dán toàn bộ văn bản (công văn, kế hoạch, chỉ thị…), kể cả phần đầu (số, ngày) và phần cuối (nơi nhận, "
            "người ký). Hệ thống đề xuất các trường và nhiệm vụ để bạn kiểm tra trước khi lưu; chưa lưu gì cả."
        ),
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("Hãy dán nội dung văn bản."))
        return text


class DirectiveForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=[("", "—"), *DocType.choices])
    number = forms.CharField(label=_("Số"), max_length=16, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=60, required=False, help_text=_("Ví dụ UBND-KGVX"))
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=120, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_INPUT)
    subject = forms.CharField(
        label=_("Trích yếu (V/v)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recipients = forms.CharField(
        label=_("Kính gửi"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )
    references = forms.CharField(
        label=_("Văn bản được thực hiện, căn cứ"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi dòng một văn bản, ví dụ “Công văn số 1740-CV/TU ngày 14/7/2023 …”. "
            "Văn bản đã có trong hệ thống được liên kết."
        ),
    )
    signer_authority = forms.CharField(
        label=_("Thẩm quyền ký"), max_length=120, required=False, help_text=_("TM., KT., Q., TL., TUQ. …")
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    full_text = forms.CharField(
        label=_("Toàn văn"),
        required=False,
        strip=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    signed_file = forms.FileField(label=_("Bản có chữ ký (tệp)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_file"].help_text = upload_help_text()
        self.fields["signed_file"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE


class DeadlineForm(forms.Form):
    """A deadline rule's fields (a task on the review page, a re-dating after saving)."""

    deadline_kind = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[("", DeadlineKind.NONE.label)] + [c for c in DeadlineKind.choices if c[0] != DeadlineKind.NONE],
    )
    deadline_date = forms.DateField(label=_("Hạn (ngày)"), required=False, widget=DATE_INPUT)
    frequency = forms.ChoiceField(label=_("Chu kỳ"), required=False, choices=[("", "—"), *Frequency.choices])
    deadline_day = forms.IntegerField(label=_("Ngày hạn"), required=False, min_value=1, max_value=31)
    deadline_month = forms.IntegerField(
        label=_("Tháng mốc"),
        required=False,
        min_value=1,
        max_value=12,
        help_text=_("Định kỳ quý, 6 tháng, năm: một tháng có hạn, ví dụ 5 cho “15/5 và 15/11”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("deadline_day", "deadline_month"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def rule(self) -> DeadlineRule:
        data = self.cleaned_data
        kind = data.get("deadline_kind") or DeadlineKind.NONE
        return DeadlineRule(
            kind=kind,
            date=data.get("deadline_date"),
            frequency=data.get("frequency") or "",
            day=data.get("deadline_day"),
            month=data.get("deadline_month") if data.get("frequency") != Frequency.MONTHLY else None,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        for name, message in self.rule().errors().items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class TaskForm(DeadlineForm):
    label = forms.CharField(label=_("Mục"), max_length=16, required=False)
    text = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    lead_as_written = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)
    leads = UniqueMultipleChoiceField(
        label=_("Chủ trì"),
        help_text=_("Đánh dấu một hay nhiều nơi. Mỗi cơ quan, mỗi xã được chọn nhận một nhiệm vụ riêng để báo cáo."),
        error_messages={"required": _("Chọn ít nhất một cơ quan hoặc xã, phường chủ trì.")},
    )
    coordinating = UniqueMultipleChoiceField(label=_("Phối hợp"), required=False)
    coordinating_as_written = forms.CharField(
        label=_("Phối hợp khác (theo văn bản)"),
        required=False,
        max_length=2000,
        help_text=_("Cơ quan ghi trong văn bản nhưng không có trong danh bạ, cách nhau bằng dấu “;”."),
    )
    report_to = forms.ChoiceField(label=_("Báo cáo về"), required=False)
    recurs_from = forms.DateField(
        label=_("Tính kỳ từ ngày"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Để trống: như các nhiệm vụ khác của văn bản."),
    )
    recurs_until = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, directory: Directory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = directory
        self.fields["leads"].choices = directory.lead_choices()
        self.fields["coordinating"].choices = directory.agency_choices()
        self.fields["report_to"].choices = [("", "—"), *directory.agency_choices()]

    def choice_groups(self, name: str) -> list[tuple[str, list[dict[str, Any]]]]:
        """The choices of a multiple-choice field as groups of checkboxes (the template renders them; checked
        ones come first in their group, by CSS), with the ids Django would give them."""
        bound = self[name]
        chosen = {str(v) for v in (bound.value() or [])}
        groups: list[tuple[str, list[dict[str, Any]]]] = []
        choices = list(self.fields[name].choices)
        if choices and not isinstance(choices[0][1], (list, tuple)):
            choices = [("", choices)]
        counter = 0
        for label, options in choices:
            rows = []
            for value, text in options:
                rows.append(
                    {"value": value, "label": text, "checked": str(value) in chosen, "id": f"{bound.auto_id}_{counter}"}
                )
                counter += 1
            groups.append((str(label), rows))
        return groups

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        start, end = cleaned.get("recurs_from"), cleaned.get("recurs_until")
        if start and end and end < start:
            self.add_error("recurs_until", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def to_input(self) -> TaskInput:
        data = self.cleaned_data
        leads: list[LeadChoice] = []
        for value in data["leads"]:
            leads.extend(self.directory.resolve_lead(value))
        report_to = self.directory.agency(data.get("report_to"))
        return TaskInput(
            text=data["text"],
            leads=leads,
            label=data.get("label") or "",
            lead_as_written=data.get("lead_as_written") or "",
            coordinating=[a for a in (self.directory.agency(pk) for pk in data.get("coordinating") or []) if a],
            coordinating_as_written=[
                n.strip() for n in (data.get("coordinating_as_written") or "").split(";") if n.strip()
            ],
            rule=self.rule(),
            recurs_from=data.get("recurs_from"),
            recurs_until=data.get("recurs_until"),
            report_to=report_to,
        )


class BaseTaskFormSet(forms.BaseFormSet):  # type: ignore[type-arg] # django-stubs: BaseFormSet is generic
    def __init__(self, *args: Any, directory: Directory, **kwargs: Any) -> None:
        self.directory = directory
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "directory": self.directory}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Bỏ nhiệm vụ này (không lưu)")

    def kept_forms(self) -> list[TaskForm]:
        """The task forms the officer kept: not marked for deletion, and not a blank extra row."""
        kept: list[TaskForm] = []
        for index, form in enumerate(self.forms):
            if self.can_delete and self._should_delete_form(form):
                continue
            if index >= self.initial_form_count() and not form.has_changed():
                continue
            kept.append(form)
        return kept


TaskFormSet: type[BaseTaskFormSet] = forms.formset_factory(
    TaskForm, formset=BaseTaskFormSet, extra=1, can_delete=True, max_num=200, absolute_max=300
)


def header_input(form: DirectiveForm) -> DirectiveInput:
    """The directive's own fields (no tasks) as the services' input."""
    data = form.cleaned_data
    return DirectiveInput(
        doc_type=data["doc_type"],
        number=data.get("number") or "",
        symbol=data.get("symbol") or "",
        issuer=data.get("issuer") or "",
        place=data.get("place") or "",
        issued_on=data.get("issued_on"),
        subject=" ".join((data.get("subject") or "").split()),
        recipients=_lines(data.get("recipients") or ""),
        signer_name=data.get("signer_name") or "",
        signer_title=data.get("signer_title") or "",
        signer_authority=data.get("signer_authority") or "",
        full_text=data.get("full_text") or "",
        references=[parse_reference_line(line) for line in _lines(data.get("references") or "")],
        signed_file=data.get("signed_file"),
    )


def directive_input(form: DirectiveReviewForm, tasks: BaseTaskFormSet, today: datetime.date) -> DirectiveInput:
    data = header_input(form)
    data.tasks = [f.to_input() for f in tasks.kept_forms()]
    if is_late_import(data.issued_on, today):  # the question is only asked then (review.py)
        data.recurrence_start = form.cleaned_data.get("recurrence_start")
    return data


class DirectiveReviewForm(DirectiveForm):
    """The review page: the directive's fields, and for a directive of an earlier year, from when its recurring
    deadlines count (the officer's answer; the import date unless changed)."""

    recurrence_start = forms.DateField(
        label=_("Tính hạn định kỳ từ ngày"),
        required=False,
        widget=DATE_INPUT,
        help_text=_(
            "Các kỳ hạn trước ngày này không được tạo, nên không bị tính là quá hạn. Mặc định: ngày nhập văn bản "
            "vào hệ thống."
        ),
    )


class DirectiveEditForm(DirectiveForm):
    """The header of a saved directive, with the version the officer started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_of(directive: Any) -> dict[str, Any]:
        return {
            "doc_type": directive.doc_type,
            "number": directive.number,
            "symbol": directive.symbol,
            "issuer": directive.issuer,
            "place": directive.place,
            "issued_on": directive.issued_on,
            "subject": directive.subject,
            "recipients": "\n".join(directive.recipients),
            "references": "\n".join(r.text for r in directive.references.all()),
            "signer_authority": directive.signer_authority,
            "signer_title": directive.signer_title,
            "signer_name": directive.signer_name,
            "full_text": directive.full_text,
            "version": directive.version,
        }


class ReportForm(forms.Form):
    occurrence = forms.TypedChoiceField(label=_("Kỳ báo cáo"), coerce=int)
    text = forms.CharField(
        label=_("Nội dung báo cáo"), max_length=REPORT_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    completes = forms.BooleanField(label=_("Đã hoàn thành nhiệm vụ (kỳ này)"), required=False)
    attachment = forms.FileField(label=_("Tệp đính kèm"), required=False)

    def __init__(self, *args: Any, occurrences: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurrence"].choices = [(o.pk, o.label) for o in occurrences]
        if occurrences and not self.is_bound:
            self.fields["occurrence"].initial = occurrences[0].pk
        self.fields["attachment"].help_text = upload_help_text()
        self.fields["attachment"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Nêu lý do trả lại để đơn vị biết cần bổ sung gì.")},
    )


# ---------- Changes after saving (views/changes.py, services/changes.py) ----------


class ChangeOrderForm(forms.Form):
    """Why a saved task changes and on which follow-up document, and the version the officer saw."""

    order_text = forms.CharField(
        label=_("Văn bản chỉ đạo việc thay đổi"),
        max_length=500,
        help_text=_("Số, ký hiệu, ngày của văn bản, ví dụ “Công văn số 812/UBND-KGVX ngày 04/3/2026”."),
        error_messages={"required": _("Ghi văn bản chỉ đạo việc thay đổi.")},
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Nêu lý do thay đổi.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def order(self) -> ChangeOrder:
        return ChangeOrder(reason=self.cleaned_data["reason"], order_text=self.cleaned_data["order_text"])


class ReassignForm(ChangeOrderForm):
    lead = forms.ChoiceField(
        label=_("Giao cho"),
        help_text=_("Các kỳ chưa hoàn thành chuyển sang đơn vị này; những gì đã hoàn thành vẫn ghi cho đơn vị cũ."),
        error_messages={"required": _("Chọn cơ quan hoặc xã, phường nhận nhiệm vụ.")},
    )
    field_order = ["lead", "order_text", "reason"]

    def __init__(self, *args: Any, directory: Directory, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = directory
        self.fields["lead"].choices = [("", "—"), *directory.single_lead_choices()]

    def lead_choice(self) -> LeadChoice:
        found = self.directory.resolve_lead(self.cleaned_data["lead"])
        return found[0] if found else LeadChoice()


class RedateForm(DeadlineForm, ChangeOrderForm):
    effective_from = forms.DateField(
        label=_("Áp dụng từ ngày"),
        required=False,
        widget=DATE_INPUT,
        help_text=_(
            "Định kỳ: các kỳ hạn từ ngày này theo thời hạn mới, các kỳ trước giữ nguyên. Để trống: từ hôm nay."
        ),
    )
    field_order = [
        "deadline_kind", "deadline_date", "frequency", "deadline_day", "deadline_month", "effective_from",
        "order_text", "reason",
    ]  # fmt: skip


class CancelForm(ChangeOrderForm):
    pass


class AddTaskForm(TaskForm, ChangeOrderForm):
    """One more assignment for a saved directive (`version`: the directive's)."""

    field_order = [
        "label",
        "text",
        "leads",
        "coordinating",
        "coordinating_as_written",
        "report_to",
        "order_text",
        "reason",
    ]
