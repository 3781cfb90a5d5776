"""Platform jobs: housekeeping and the notification outbox (periodic ones scheduled in celery_schedule.py)."""

from celery import shared_task
from django.core.management import call_command

from childprotect.notifications import deliver_email, sweep_unsent_notifications


@shared_task(ignore_result=True)
def clear_expired_sessions_task() -> None:
    call_command("clearsessions")


@shared_task(ignore_result=True)
def clean_old_login_failures_task() -> None:
    # axes_reset_failure_logs removes failure logs older than the given number of days.
    call_command("axes_reset_failure_logs", "--age", "30")


@shared_task(ignore_result=True)
def deliver_email_task(notification_id: int) -> None:
    deliver_email(notification_id)


@shared_task(ignore_result=True)
def sweep_unsent_notifications_task() -> None:
    sweep_unsent_notifications()
