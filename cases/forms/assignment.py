"""Assigning a case to its responsible officer (cases/services/assignment.py `do_assign_case`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.services.assignment import NOTE_MAX_CHARS, assignable_officers
from childprotect.models import User


class OfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return user.get_full_name() or user.username


class AssignmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, label=_("Phiên bản hồ sơ"))
    officer = OfficerField(
        label=_("Cán bộ phụ trách"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Chưa phân công (hàng chờ của xã) —"),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=NOTE_MAX_CHARS, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": case.version, "officer": case.assigned_officer_id})
        super().__init__(*args, **kwargs)
        field = self.fields["officer"]
        assert isinstance(field, OfficerField)
        field.queryset = assignable_officers(case)
