"""django-axes' database handler with one threshold per kind of lockout.

settings.AXES_LOCKOUT_PARAMETERS is ["username", ["username", "ip_address"], "ip_address"]: axes counts the
failures of each and locks when the largest reaches AXES_FAILURE_LIMIT. An address shared by a whole office (a
province's NAT, or every user when the proxy count is wrong) must take far more failures before it locks, so its
count is scaled: it reaches AXES_FAILURE_LIMIT exactly when its failures reach AXES_ADDRESS_FAILURE_LIMIT.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


class LockoutHandler(AxesDatabaseHandler):  # type: ignore[misc] # axes is untyped
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        counts = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if len(counts) != len(settings.AXES_LOCKOUT_PARAMETERS):  # a different configuration: axes' own rule
            return max(counts, default=0)
        weighed = []
        for parameter, count in zip(settings.AXES_LOCKOUT_PARAMETERS, counts, strict=True):
            if parameter == "ip_address":
                # floor(count * L / A) >= L exactly when count >= A (L, A positive integers).
                count = count * settings.AXES_FAILURE_LIMIT // max(settings.AXES_ADDRESS_FAILURE_LIMIT, 1)
            weighed.append(count)
        return max(weighed, default=0)

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A successful login forgets that username's failures, not the address's: otherwise anyone with one
        valid account could wipe the count of an address that is guessing other people's passwords."""
        groups = self.filter_user_attempts(request, credentials)
        if len(groups) == len(settings.AXES_LOCKOUT_PARAMETERS):
            groups = [
                attempts
                for parameter, attempts in zip(settings.AXES_LOCKOUT_PARAMETERS, groups, strict=True)
                if parameter != "ip_address"
            ]
        return sum(attempts.delete()[0] for attempts in groups)
