"""Create a directive from the reviewed proposal: the directive, the documents it implements, one task per lead
of each assignment, the tasks' occurrences; one audit row; one notification per person who now has tasks.

The input is what the officer confirmed (the review page or POST /api/v1/directives/): the forms and
serializers already resolved names to agencies and communes of the officer's province; this service checks the
rules again (scope, deadline rules, duplicates), so no caller can skip them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from childprotect.errors import NotAllowed
from childprotect.models import AdministrativeUnit, Agency, User
from childprotect.models.audit import AuditAction
from childprotect.models.units import UnitKind
from childprotect.notification_kinds import NotificationKind
from childprotect.notifications import notify
from childprotect.services import record_audit_event, text_problem
from childprotect.text.vietnamese import in_vietnamese_order
from directives.access import can_create_directives
from directives.models import DeadlineKind, Directive, DirectiveReference, DirectiveTask, DocType
from directives.recurrence import DeadlineRule, due_dates
from directives.services.common import lead_users
from directives.services.files import check_upload, clean_name
from directives.services.occurrences import create_occurrences

TEXT_MAX_CHARS = 20_000


@dataclass
class LeadChoice:
    """One lead picked for an assignment: an agency, one commune, or every current commune of the province."""

    agency: Agency | None = None
    commune: AdministrativeUnit | None = None
    all_communes: bool = False


@dataclass
class TaskInput:
    text: str
    leads: list[LeadChoice]
    label: str = ""
    lead_as_written: str = ""
    coordinating: list[Agency] = field(default_factory=list)
    coordinating_as_written: list[str] = field(default_factory=list)
    rule: DeadlineRule = field(default_factory=DeadlineRule)
    recurs_from: datetime.date | None = None
    recurs_until: datetime.date | None = None
    report_to: Agency | None = None


@dataclass
class ReferenceInput:
    text: str
    doc_type: str = ""
    number: str = ""
    symbol: str = ""
    issued_on: datetime.date | None = None


@dataclass
class DirectiveInput:
    doc_type: str
    number: str = ""
    symbol: str = ""
    issuer: str = ""
    place: str = ""
    issued_on: datetime.date | None = None
    subject: str = ""
    recipients: list[str] = field(default_factory=list)
    signer_name: str = ""
    signer_title: str = ""
    signer_authority: str = ""
    full_text: str = ""
    references: list[ReferenceInput] = field(default_factory=list)
    tasks: list[TaskInput] = field(default_factory=list)
    signed_file: UploadedFile | None = None
    # From when recurring deadlines count, for every task that does not say (TaskInput.recurs_from).
    recurrence_start: datetime.date | None = None


def is_late_import(issued_on: datetime.date | None, today: datetime.date) -> bool:
    """A directive imported after the year it was issued in: its tracking starts now, not at its issue date."""
    return issued_on is not None and issued_on.year < today.year


def recurrence_start_for(
    issued_on: datetime.date | None, chosen: datetime.date | None, today: datetime.date
) -> datetime.date:
    """From when the recurring deadlines of a directive count, unless a task says otherwise: the date the officer
    chose; else, for a directive of an earlier year, the import date (so a 2023 quarterly task imported today
    does not start with three overdue quarters); else its issue date; else today."""
    if chosen is not None:
        return chosen
    if issued_on is None or is_late_import(issued_on, today):
        return today
    return issued_on


def province_communes(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The current communes, wards and special zones of the province, in Vietnamese alphabetical order."""
    communes = AdministrativeUnit.objects.current().within(province).filter(kind=UnitKind.COMMUNE)
    return in_vietnamese_order(communes)


def _in_province(province: AdministrativeUnit, unit_path: str) -> bool:
    return unit_path.startswith(province.path)


def check_task(
    task: TaskInput, province: AdministrativeUnit, index: int, default_start: datetime.date | None = None
) -> dict[str, str]:
    """Errors of one assignment, by field, prefixed "tasks.<index>." (also used by the API for its messages)."""
    errors: dict[str, str] = {}
    prefix = f"tasks.{index}."
    if problem := text_problem(
        task.text,
        max_chars=TEXT_MAX_CHARS,
        blank=_("Nhập nội dung nhiệm vụ."),
        too_long=_("Nội dung quá dài: tối đa %(max)s ký tự."),
    ):
        errors[prefix + "text"] = problem
    if not task.leads:
        errors[prefix + "leads"] = _("Chọn ít nhất một cơ quan hoặc xã, phường chủ trì.")
    for lead in task.leads:
        if lead.agency is not None and not _in_province(province, lead.agency.unit.path):
            errors[prefix + "leads"] = _("Cơ quan chủ trì phải thuộc tỉnh của bạn.")
        if lead.commune is not None and (
            lead.commune.kind != UnitKind.COMMUNE or not _in_province(province, lead.commune.path)
        ):
            errors[prefix + "leads"] = _("Xã, phường chủ trì phải thuộc tỉnh của bạn.")
    for agency in [*task.coordinating, *([task.report_to] if task.report_to else [])]:
        if not _in_province(province, agency.unit.path):
            errors[prefix + "coordinating"] = _("Cơ quan phối hợp, nơi nhận báo cáo phải thuộc tỉnh của bạn.")
    for name, message in task.rule.errors().items():
        errors[prefix + name] = message
    if task.rule.kind == DeadlineKind.RECURRING and not task.rule.errors():
        if task.recurs_from and task.recurs_until and task.recurs_until < task.recurs_from:
            errors[prefix + "recurs_until"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        elif task.recurs_until and not due_dates(
            task.rule, task.recurs_from or default_start or task.recurs_until, task.recurs_until
        ):
            errors[prefix + "recurs_until"] = _("Không có kỳ hạn nào trong khoảng thời gian này.")
    return errors


def check_directive(
    data: DirectiveInput, province: AdministrativeUnit, today: datetime.date | None = None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.doc_type not in DocType.values:
        errors["doc_type"] = _("Chọn loại văn bản.")
    if message := duplicate_reference(data, province.pk):
        errors["number"] = message
    start = recurrence_start_for(data.issued_on, data.recurrence_start, today or timezone.localdate())
    for index, task in enumerate(data.tasks):
        errors.update(check_task(task, province, index, start))
    return errors


def duplicate_reference(data: DirectiveInput, province_id: int, *, other_than: int | None = None) -> str:
    """The message when the province already has a directive of this number and symbol (the same year, when the
    date is known); "" otherwise. `other_than`: the directive being corrected."""
    if not (data.number and data.symbol):
        return ""
    same = Directive.objects.with_reference(province_id, data.number, data.symbol)
    if other_than is not None:
        same = same.exclude(pk=other_than)
    if data.issued_on is not None:
        same = same.filter(issued_on__year=data.issued_on.year)
    if not same.exists():
        return ""
    return _("Văn bản số %(ref)s đã có trong hệ thống.") % {"ref": f"{data.number}/{data.symbol}"}


def _expand_leads(task: TaskInput, communes: list[AdministrativeUnit]) -> list[LeadChoice]:
    """One lead per agency and per commune ("every commune" expanded), without repeats, in the order given."""
    seen: set[tuple[str, int]] = set()
    out: list[LeadChoice] = []
    for lead in task.leads:
        picks = [LeadChoice(commune=c) for c in communes] if lead.all_communes else [lead]
        for pick in picks:
            key = ("a", pick.agency.pk) if pick.agency is not None else ("u", pick.commune.pk if pick.commune else 0)
            if key not in seen:
                seen.add(key)
                out.append(pick)
    return out


def link_references(directive: Directive) -> None:
    """Link each cited document to a directive of the same province with that number and symbol; and link the
    earlier directives that cite this one."""
    refs = list(directive.references.all())
    for ref in refs:
        if ref.number and ref.symbol:
            parent = (
                Directive.objects.with_reference(directive.province_id, ref.number, ref.symbol)
                .exclude(pk=directive.pk)
                .order_by("-created_at")
                .first()
            )
            if parent is not None:
                ref.implements = parent
                ref.save(update_fields=["implements"])
    if directive.number and directive.symbol:
        DirectiveReference.objects.filter(
            directive__province_id=directive.province_id,
            number=directive.number,
            symbol__iexact=directive.symbol,
            implements__isnull=True,
        ).exclude(directive=directive).update(implements=directive)


def do_create_directive(*, acting_user: User, data: DirectiveInput, today: datetime.date | None = None) -> Directive:
    """Save a reviewed directive and its tasks, atomically. Raises ValidationError (errors by field, tasks as
    "tasks.<n>.<field>") for bad input, NotAllowed if the user may not create directives."""
    if not can_create_directives(acting_user):
        raise NotAllowed(_("Chỉ cán bộ cấp tỉnh được nhập văn bản chỉ đạo."))
    today = today or timezone.localdate()
    province: AdministrativeUnit = acting_user.unit  # type: ignore[assignment] # checked by can_create_directives
    errors = check_directive(data, province, today)
    file_kind = None
    if data.signed_file is not None:
        try:
            file_kind = check_upload(data.signed_file, field="signed_file")
        except ValidationError as exc:
            errors.update({key: " ".join(str(m) for m in msgs) for key, msgs in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    directive = Directive(
        province=province,
        unit_path=province.path,
        doc_type=data.doc_type,
        number=data.number.strip(),
        symbol=data.symbol.strip(),
        issuer=data.issuer.strip(),
        place=data.place.strip(),
        issued_on=data.issued_on,
        subject=data.subject.strip(),
        recipients=[r.strip() for r in data.recipients if r.strip()],
        signer_name=data.signer_name.strip(),
        signer_title=data.signer_title.strip(),
        signer_authority=data.signer_authority.strip(),
        full_text=data.full_text,
        created_by=acting_user,
    )
    if data.signed_file is not None and file_kind is not None:
        directive.signed_file_name = clean_name(data.signed_file.name or "")
        directive.signed_file_type = file_kind.content_type
        directive.signed_file_size = data.signed_file.size
        # Written first, under an opaque name; removed again if the database part fails.
        directive.signed_file.save("upload", data.signed_file, save=False)
    try:
        with transaction.atomic():
            _save(acting_user, directive, data, province, today)
    except Exception:
        if directive.signed_file:
            directive.signed_file.delete(save=False)
        raise
    return directive


def _save(
    acting_user: User, directive: Directive, data: DirectiveInput, province: AdministrativeUnit, today: datetime.date
) -> None:
    directive.save()
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
    link_references(directive)
    start = recurrence_start_for(data.issued_on, data.recurrence_start, today)
    tasks = create_tasks(directive, data.tasks, province, today, start)
    record_audit_event(
        actor=acting_user,
        action=AuditAction.CREATE,
        target=directive,
        unit_path=directive.unit_path,
        details={
            "reference": directive.reference,
            "tasks": len(tasks),
            "doc_type": directive.doc_type,
            "recurrence_start": start.isoformat(),
        },
    )
    _notify_new_tasks(directive, tasks)


def create_tasks(
    directive: Directive,
    inputs: list[TaskInput],
    province: AdministrativeUnit,
    today: datetime.date,
    start: datetime.date,
    first_position: int = 1,
) -> list[DirectiveTask]:
    """The tasks of the given assignments (one per lead, "every commune" expanded), their coordinating agencies
    and due dates; recurring ones count from `start` unless the assignment says otherwise."""
    communes: list[AdministrativeUnit] | None = None
    tasks: list[DirectiveTask] = []
    coordinating: list[tuple[int, list[Agency]]] = []
    for position, item in enumerate(inputs, start=first_position):
        if any(lead.all_communes for lead in item.leads) and communes is None:
            communes = province_communes(province)
        recurs_from = item.recurs_from or start
        for lead in _expand_leads(item, communes or []):
            tasks.append(
                DirectiveTask(
                    directive=directive,
                    unit_path=directive.unit_path,
                    position=position,
                    item_label=item.label[:16],
                    text=item.text.strip(),
                    lead_agency=lead.agency,
                    lead_commune=lead.commune,
                    lead_as_written=item.lead_as_written[:300],
                    coordinating_as_written=[n[:300] for n in item.coordinating_as_written if n.strip()],
                    report_to=item.report_to,
                    deadline_kind=item.rule.kind,
                    deadline_date=item.rule.date if item.rule.kind == DeadlineKind.DATE else None,
                    frequency=item.rule.frequency if item.rule.kind == DeadlineKind.RECURRING else "",
                    deadline_day=item.rule.day if item.rule.kind == DeadlineKind.RECURRING else None,
                    deadline_month=item.rule.month if item.rule.kind == DeadlineKind.RECURRING else None,
                    recurs_from=recurs_from if item.rule.kind == DeadlineKind.RECURRING else None,
                    recurs_until=item.recurs_until if item.rule.kind == DeadlineKind.RECURRING else None,
                )
            )
            coordinating.append((len(tasks) - 1, item.coordinating))
    DirectiveTask.objects.bulk_create(tasks)
    through = DirectiveTask.coordinating.through
    through.objects.bulk_create(
        [
            through(directivetask_id=tasks[i].pk, agency_id=agency.pk)
            for i, agencies in coordinating
            for agency in {a.pk: a for a in agencies}.values()
        ]
    )
    create_occurrences(tasks, today)
    return tasks


def _notify_new_tasks(directive: Directive, tasks: list[DirectiveTask]) -> None:
    """One in-app notification (and email) per person with new tasks: the document reference and a link."""
    if not tasks:
        return
    notify(
        lead_users(tasks),
        kind=NotificationKind.DIRECTIVE_TASKS_NEW,
        params={"reference": directive.reference},
        url=f"/directives/{directive.pk}/",
        target=directive,
        unit_path=directive.unit_path,
        dedupe_key=f"directive-new:{directive.pk}",
    )
