"""Platform housekeeping jobs (scheduled in celery_schedule.py)."""

from celery import shared_task
from django.core.management import call_command


@shared_task(ignore_result=True)
def clear_expired_sessions_task() -> None:
    call_command("clearsessions")


@shared_task(ignore_result=True)
def clean_old_login_failures_task() -> None:
    # axes_reset_failure_logs removes failure logs older than the given number of days.
    call_command("axes_reset_failure_logs", "--age", "30")
