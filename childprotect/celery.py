"""The Celery app. Tasks are thin: they take ids and call a service; they are enqueued on commit only."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "childprotect.settings")

app = Celery("childprotect")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect  # type: ignore[untyped-decorator] # celery is untyped
def _install_schedule(sender: Celery, **kwargs: object) -> None:
    from childprotect.celery_schedule import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE
