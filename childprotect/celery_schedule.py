"""Every periodic job, in one place (PostHog's habit). django-celery-beat stores the schedule in the database
and syncs these entries at beat start-up; an admin can pause or re-time them in the admin.

Each job is idempotent and claims its rows atomically, so a late or doubled run does no harm. Jobs that run
often carry an expiry, so a backed-up broker does not run the same job many times in a row.
"""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Expired login sessions pile up in the database otherwise (sessions are stored there).
    "clear-expired-sessions": {
        "task": "childprotect.tasks.clear_expired_sessions_task",
        "schedule": crontab(hour=2, minute=15),
        "options": {"expires": 6 * 3600},
    },
    # Forget failed-login records older than the lockout cool-off (django-axes keeps them otherwise).
    "clean-old-login-failures": {
        "task": "childprotect.tasks.clean_old_login_failures_task",
        "schedule": crontab(hour=2, minute=45),
        "options": {"expires": 6 * 3600},
    },
    # The notification outbox: emails the broker never delivered, and retries whose back-off has run out.
    "sweep-unsent-notifications": {
        "task": "childprotect.tasks.sweep_unsent_notifications_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
    # Case deadlines (the cases app's tasks, named by string: the platform imports no domain app).
    "flag-overdue-case-deadlines": {
        "task": "cases.tasks.flag_overdue_deadlines_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    # Referrals nobody answered by their response time: flagged once, the province officers told.
    "escalate-overdue-referrals": {
        "task": "cases.tasks.flag_overdue_referrals_task",
        "schedule": crontab(minute="*/5"),
        "options": {"expires": 4 * 60},
    },
    "remind-upcoming-case-deadlines": {
        "task": "cases.tasks.remind_upcoming_deadlines_task",
        "schedule": crontab(minute="*/15"),
        "options": {"expires": 14 * 60},
    },
    # Directive tasks (the directives app's tasks, named by string): reminders before each due date and the
    # overdue escalation, hourly in office hours (each claims its rows: a rerun sends nothing twice); and the
    # nightly extension of recurring tasks' due dates.
    "remind-directive-deadlines": {
        "task": "directives.tasks.remind_directive_deadlines_task",
        "schedule": crontab(hour="7-17", minute=5),
        "options": {"expires": 50 * 60},
    },
    "escalate-overdue-directive-tasks": {
        "task": "directives.tasks.escalate_overdue_directive_tasks_task",
        "schedule": crontab(hour="7-17", minute=20),
        "options": {"expires": 50 * 60},
    },
    "extend-directive-occurrences": {
        "task": "directives.tasks.extend_directive_occurrences_task",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Periodic reports (the reporting app's tasks): each province's 6-month and annual report is requested on
    # the day after its data cut-off (dates in ReportSchedule); runs a broker never delivered are re-queued.
    "generate-scheduled-reports": {
        "task": "reporting.tasks.generate_scheduled_reports_task",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Every 10 minutes: once a period's data cut-off passes, its figures are frozen per unit, so every later run
    # of that report gives the same numbers (reporting/snapshots.py); a missed moment is caught at first need.
    "freeze-period-figures": {
        "task": "reporting.tasks.freeze_period_figures_task",
        "schedule": crontab(minute="*/10"),
        "options": {"expires": 9 * 60},
    },
    # Every minute: a run whose worker died (its lease, renewed while the worker lives, ran out) is generated
    # again within two minutes (childprotect/sweeps.py).
    "requeue-unfinished-report-runs": {
        "task": "reporting.tasks.requeue_unfinished_report_runs_task",
        "schedule": 60.0,
        "options": {"expires": 50},
    },
}
