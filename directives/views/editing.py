"""Correct a saved directive's header (`directives/<id>/edit/`): the number and date a draft gets once signed,
the signed file, a typo. Province officers of the directive's province only (404 for anyone else); the save
states the version the officer started from, and a stale one is refused with everything typed kept."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from childprotect.access import not_found
from childprotect.errors import refusals_on
from childprotect.http import AuthenticatedHttpRequest
from directives.access import access_directive, can_edit_directive
from directives.forms import DirectiveEditForm, header_input
from directives.services import do_update_directive


@login_required
@require_http_methods(["GET", "POST"])
def directive_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    directive = access_directive(request.user, pk)
    if not can_edit_directive(request.user, directive):
        raise not_found()
    if request.method == "GET":
        form = DirectiveEditForm(initial=DirectiveEditForm.initial_of(directive))
    else:
        form = DirectiveEditForm(request.POST, request.FILES)
        if form.is_valid():
            with refusals_on(form) as refused:
                do_update_directive(
                    acting_user=request.user,
                    directive=directive,
                    data=header_input(form),
                    expected_version=form.cleaned_data["version"],
                )
            if not refused:
                messages.success(request, _("Đã lưu thông tin văn bản %(ref)s.") % {"ref": directive.reference})
                return redirect("directives:detail", pk=directive.pk)
    missing = {name for name in ("number", "issued_on", "signer_name") if not form[name].value()}
    return render(request, "directives/edit.html", {"form": form, "directive": directive, "missing": missing})
