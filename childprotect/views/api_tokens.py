"""The user's own API tokens: see them, make one (its secret shown once), revoke one. Same services as the API
(childprotect/api_tokens.py); another user's token answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from childprotect.api_tokens import api_tokens_of, do_issue_api_token, do_revoke_api_token
from childprotect.http import AuthenticatedHttpRequest


@never_cache
@login_required
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    new_secret = None
    if request.method == "POST":
        _instance, new_secret = do_issue_api_token(acting_user=request.user)
    return render(
        request,
        "childprotect/api_tokens.html",
        {"tokens": list(api_tokens_of(request.user)), "new_secret": new_secret},
    )


@require_POST
@login_required
def revoke_api_token(request: AuthenticatedHttpRequest, token_id: str) -> HttpResponse:
    do_revoke_api_token(acting_user=request.user, token_key=token_id)
    return redirect("api-tokens")
