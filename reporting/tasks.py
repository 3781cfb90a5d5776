"""Report jobs (scheduled in childprotect/celery_schedule.py). Thin: each calls a service in services.py."""

from celery import shared_task

from reporting.services import (
    freeze_period_figures,
    generate_report,
    generate_scheduled_reports,
    requeue_unfinished_runs,
)


@shared_task(ignore_result=True)
def generate_report_task(run_id: int) -> None:
    generate_report(run_id)


@shared_task(ignore_result=True)
def generate_scheduled_reports_task() -> None:
    generate_scheduled_reports()


@shared_task(ignore_result=True)
def requeue_unfinished_report_runs_task() -> None:
    requeue_unfinished_runs()


@shared_task(ignore_result=True)
def freeze_period_figures_task() -> None:
    freeze_period_figures()
