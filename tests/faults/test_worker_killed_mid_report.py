"""Fault: the worker generating a report is killed (SIGKILL of its whole process group: no warm shutdown, no
acknowledgement) while it renders. Before: the run stayed "running" for the 30-minute lease, then waited for the
10-minute requeue. Now its lease, renewed only while a worker lives, runs out, the sweep hands it to another
worker, and exactly one complete report comes out, within lease + one sweep interval (2 minutes in production;
here the test sets WORK_LEASE_SECONDS=6 and sweeps every second, as beat does every minute)."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from childprotect.models import Notification
from reporting.models import ReportRun, ReportStatus
from reporting.services import do_request_report, requeue_unfinished_runs
from tests.faults.processes import app_env, celery_worker, redis, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.faults]

LEASE_SECONDS = 6


def test_a_report_whose_worker_is_killed_is_generated_once_by_another_worker(
    point_celery_at, personas, tmp_path, settings
):
    (tmp_path / "private").mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    with redis(tmp_path) as (port, _redis):
        broker = f"redis://127.0.0.1:{port}/0"
        env = app_env(tmp_path, REDIS_URL=broker, WORK_LEASE_SECONDS=str(LEASE_SECONDS))
        point_celery_at(broker)
        first = celery_worker(tmp_path, env, "first")
        second = None
        try:
            with override_settings(WORK_LEASE_SECONDS=LEASE_SECONDS):
                run = do_request_report(
                    acting_user=personas.province_officer_a, kind="annual", year=2025, unit=personas.province_a
                )
                # Mid-report: the worker has claimed the run and is rendering it.
                wait_until(
                    lambda: ReportRun.objects.filter(pk=run.pk, status=ReportStatus.RUNNING).exists(),
                    timeout=60,
                    every=0.02,
                    what="the first worker starts rendering",
                )
                first.kill()
                killed_at = time.monotonic()
                assert ReportRun.objects.get(pk=run.pk).status == ReportStatus.RUNNING
                second = celery_worker(tmp_path, env, "second")

                def sweep_and_check() -> bool:  # what beat does every minute
                    requeue_unfinished_runs()
                    return ReportRun.objects.get(pk=run.pk).status == ReportStatus.READY

                wait_until(sweep_and_check, timeout=90, every=1, what="another worker completes the report")
                recovered = time.monotonic() - killed_at
            print(f"\nworker killed mid-report: report complete {recovered:.1f}s later (lease {LEASE_SECONDS}s)")
            assert recovered < 60
            done = ReportRun.objects.get(pk=run.pk)
            assert done.pdf.read(5) == b"%PDF-" and done.xlsx.size > 0
            assert done.lease_token is None
            assert ReportRun.objects.filter(kind="annual", year=2025, unit=personas.province_a).count() == 1
            # Exactly one generation's files are stored, and the officers are told once.
            stored = sorted(p.name for p in (tmp_path / "private" / "reports" / str(run.pk)).iterdir())
            assert {done.pdf.name.rsplit("/", 1)[1], done.xlsx.name.rsplit("/", 1)[1]} <= set(stored)
            assert Notification.objects.filter(kind="report_ready", recipient=personas.province_officer_a).count() == 1
        finally:
            first.stop()
            if second is not None:
                print(second.tail(1500))
                second.stop()
