"""Case jobs, scheduled in childprotect/celery_schedule.py. Thin: each calls a service that claims its rows."""

from celery import shared_task

from cases.services.referral_sweep import flag_overdue_referrals
from cases.services.sweep import flag_overdue_deadlines, remind_upcoming_deadlines


@shared_task(ignore_result=True)
def flag_overdue_deadlines_task() -> None:
    flag_overdue_deadlines()


@shared_task(ignore_result=True)
def remind_upcoming_deadlines_task() -> None:
    remind_upcoming_deadlines()


@shared_task(ignore_result=True)
def flag_overdue_referrals_task() -> None:
    flag_overdue_referrals()
