"""Requests whose user is signed in, typed once (healthchecks' `AuthenticatedHttpRequest`).

A page behind `@login_required` takes `request: AuthenticatedHttpRequest`; an API view's `request.user` is the
signed-in `User` through `AuthenticatedRequest` (every endpoint but the token one requires authentication). So
`request.user` is a `User` where the code needs one, without a cast or a `type: ignore` at every use.
"""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.request import Request

from childprotect.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User


class AuthenticatedRequest(Request):
    user: User
