"""A sample directive imported as the province officer does it: the text through the importer, the proposal onto
the review form (directives/proposal.py, directives/forms.py), the officer's choices where the text leaves a
blank (a lead the directory does not have, a deadline the text does not give), then `do_create_directive`; and
the leads' reports on each task: on time, late, returned for more, or none yet (overdue)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from directives.forms import DirectiveReviewForm, TaskFormSet, directive_input
from directives.importer import parse_directive
from directives.models import Directive, DirectiveTask, TaskOccurrence
from directives.proposal import Directory, initial_from_proposal
from directives.services import do_accept_report, do_create_directive, do_report_task, do_return_report

if TYPE_CHECKING:
    from demo.generate import World

DAY = datetime.timedelta(days=1)


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _review_data(initial: dict[str, Any], choose: list[dict[str, Any]]) -> MultiValueDict[str, Any]:
    """What the review page posts back once the officer has filled the blanks: the proposal's values, with
    `choose[i]` over task i."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    for name, value in initial["directive"].items():
        data[name] = _value(value)
    tasks = initial["tasks"]
    data["tasks-TOTAL_FORMS"] = str(len(tasks))
    data["tasks-INITIAL_FORMS"] = str(len(tasks))
    data["tasks-MIN_NUM_FORMS"] = "0"
    data["tasks-MAX_NUM_FORMS"] = "1000"
    for index, task in enumerate(tasks):
        row = {**task, **choose[index]}
        for name, value in row.items():
            key = f"tasks-{index}-{name}"
            if isinstance(value, list):
                data.setlist(key, [str(v) for v in value])
            else:
                data[key] = _value(value)
    return data


def import_sample(world: World, text: str, moment: datetime.datetime) -> Directive:
    from demo.generate import at

    officer = world.province_officer
    with at(moment):
        today = timezone.localdate()
        directory = Directory.for_user(officer)
        parsed = parse_directive(text, directory.agencies)
        initial = initial_from_proposal(parsed.to_dict(), directory)
        header = initial["directive"]
        header["full_text"] = text
        header["recurrence_start"] = today
        header["issued_on"] = header["issued_on"] or today - 4 * DAY  # a draft: the officer types the date
        header["doc_type"] = header["doc_type"] or "cong_van"
        communes = [f"u{c.unit.pk}" for c in world.communes]
        agencies = world.agencies
        fallback = [
            communes,
            [f"a{agencies['education'].pk}"],
            [f"a{agencies['police'].pk}"],
            [f"a{agencies['child_protection'].pk}"],
            [f"a{agencies['health'].pk}", *communes[:1]],
            [f"a{agencies['justice'].pk}"],
        ]
        choose: list[dict[str, Any]] = []
        for index, task in enumerate(initial["tasks"]):
            leads = task["leads"] or fallback[index % len(fallback)]
            # The province's own communes for "UBND các xã" (the demo follows three of them).
            leads = [lead for lead in leads if lead != "communes"] or communes
            rule: dict[str, Any] = {"leads": leads}
            if task["deadline_kind"] not in {"recurring"}:
                # The officer dates what the text leaves open: every task is reported on within a few months.
                due = today + DAY * (45 + 40 * index)
                rule.update(deadline_kind="date", deadline_date=due, frequency="", deadline_day="", deadline_month="")
            choose.append(rule)
        data = _review_data(initial, choose)
        form = DirectiveReviewForm(data)
        tasks = TaskFormSet(data, prefix="tasks", directory=directory)
        if not (form.is_valid() and tasks.is_valid()):
            raise ValueError(f"demo directive review form: {form.errors} {tasks.errors}")
        directive = do_create_directive(acting_user=officer, data=directive_input(form, tasks, today))
    _reports(world, directive)
    return directive


def _reporter(world: World, task: DirectiveTask) -> Any:
    if task.lead_agency_id is not None:
        return next((u for u in world.focal_points.values() if u.agency_id == task.lead_agency_id), None)
    return next((c.officer for c in world.communes if c.unit.pk == task.lead_commune_id), None)


def _reports(world: World, directive: Directive) -> None:
    """Each occurrence of each task whose lead has an account: reported on time, late, returned, in progress,
    or not at all."""
    from demo.generate import at

    rng, now = world.rng, world.now
    today = timezone.localtime(now).date()
    officer = world.province_officer
    fates = ["on_time", "on_time", "late", "returned", "overdue", "on_time", "late"]
    count = 0
    for task in directive.tasks.order_by("pk"):
        reporter = _reporter(world, task)
        if reporter is None:
            continue
        for occurrence in TaskOccurrence.objects.filter(task=task).order_by("due_on"):
            due = occurrence.due_on
            if due is None:
                continue
            fate = fates[count % len(fates)]
            count += 1
            noon = timezone.make_aware(datetime.datetime.combine(due, datetime.time(10)))
            if due > today:
                if rng.random() < 0.5 and noon - 20 * DAY < now:
                    with at(max(noon - 20 * DAY, now - 2 * DAY)):
                        do_report_task(
                            acting_user=reporter, task=task, text="Đang triển khai, đã tổ chức họp giao ban (mẫu)."
                        )
                continue
            if fate == "overdue":
                continue
            sent = noon + (6 * DAY if fate == "late" else -3 * DAY)
            if sent >= now:
                continue
            with at(sent):
                report = do_report_task(
                    acting_user=reporter,
                    task=task,
                    occurrence=occurrence,
                    completes=True,
                    text="Đã triển khai đầy đủ nội dung nhiệm vụ; kết quả cụ thể như sau (dữ liệu mẫu).",
                )
            world.tally(f"directive_report:{fate}")
            with at(min(sent + 2 * DAY, now - DAY / 24)):
                if fate == "returned":
                    do_return_report(
                        acting_user=officer, report=report, reason="Đề nghị bổ sung số liệu cụ thể theo từng xã."
                    )
                else:
                    do_accept_report(acting_user=officer, report=report)
