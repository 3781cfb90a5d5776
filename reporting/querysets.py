"""Reads of the report archive: who sees which report run.

A run belongs to one unit (a province or a commune). Case-working roles see the runs of their jurisdiction
(a province officer: the province's and its communes'; a commune officer or chair: their commune's), admins
and the national role (statistics only, reporting/access.py) see all; everyone else none. Same prefix rule as
every other record (childprotect/querysets.py).
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Max

from childprotect.access import is_active_user
from childprotect.querysets import JurisdictionQuerySet
from childprotect.roles import CASE_WORKING_ROLES, NATIONAL_ROLES, Role

if TYPE_CHECKING:
    from childprotect.models import AdministrativeUnit, User
    from reporting.models import FrozenFigures, ReportRun  # noqa: F401 (named as strings in the base classes)


class ReportRunQuerySet(JurisdictionQuerySet["ReportRun"]):
    unit_path_lookup = "unit_path"

    def visible_to(self, user: User) -> ReportRunQuerySet:
        if not is_active_user(user):
            return self.none()
        if user.role in NATIONAL_ROLES:
            return self
        if user.role not in CASE_WORKING_ROLES and user.role != Role.ADMIN:
            return self.none()
        scoped: ReportRunQuerySet = self.in_jurisdiction_of(user)  # type: ignore[assignment] # same class
        return scoped

    def unfinished(self) -> ReportRunQuerySet:
        return self.filter(status__in=["pending", "running"])

    # The archive's own reads (reporting/services.py): never shown to a user as such.

    def pending(self) -> ReportRunQuerySet:
        """Runs waiting for the generation task to claim them."""
        return self.filter(status="pending")

    def generating(self, token: uuid.UUID) -> ReportRunQuerySet:
        """The run a generation claimed with `token`, for as long as that generation still holds it: its lease
        renewals and its final write go through this, so a worker whose run was handed over writes nothing."""
        return self.filter(status="running", lease_token=token)

    def lease_lapsed(self, now: datetime.datetime) -> ReportRunQuerySet:
        """Running runs whose worker stopped renewing its lease (it died): the sweep hands them over again."""
        return self.filter(status="running", lease_until__lt=now)

    def latest_version(self, *, kind: str, year: int, unit: AdministrativeUnit) -> int:
        """The highest version of a unit's report of that kind and year (0: none yet)."""
        version: int | None = self.filter(kind=kind, year=year, unit=unit).aggregate(v=Max("version"))["v"]
        return version or 0

    def requested_for(self, *, kind: str, year: int) -> ReportRunQuerySet:
        """Every run of that kind and year, whoever asked (the schedule requests each unit's report once)."""
        return self.filter(kind=kind, year=year)


class FrozenFiguresQuerySet(models.QuerySet["FrozenFigures"]):
    """The frozen figures are read by the report generation and the freezing job only (reporting/snapshots.py),
    never shown as such: a user sees them through a report run."""

    def of_period(
        self,
        *,
        kind: str,
        unit: AdministrativeUnit,
        start: datetime.date,
        end: datetime.date,
        cutoff: datetime.datetime,
    ) -> FrozenFiguresQuerySet:
        """The figures frozen for a unit's report period (at most one)."""
        return self.filter(kind=kind, unit=unit, period_start=start, period_end=end, data_cutoff=cutoff)

    def frozen_unit_ids(
        self, *, kind: str, start: datetime.date, end: datetime.date, cutoff: datetime.datetime
    ) -> models.QuerySet[FrozenFigures, int]:
        """The ids of the units whose figures of that period are already frozen (the freezing job skips them)."""
        return self.filter(kind=kind, period_start=start, period_end=end, data_cutoff=cutoff).values_list(
            "unit_id", flat=True
        )
