"""How a moment and a day are written for people (pages, notifications, flash messages): local time, day first."""

from __future__ import annotations

import datetime

from django.utils import timezone


def local_time(moment: datetime.datetime) -> str:
    """ "14:30 05/12/2025" in the site's time zone."""
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


def day(date: datetime.date) -> str:
    """ "05/12/2025"."""
    return date.strftime("%d/%m/%Y")
