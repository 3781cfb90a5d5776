"""The form inputs every page shares: the browser's own date and time pickers (which submit ISO values, so a typed
"05/12/2025" is never read month first) and the short text area."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator

from childprotect.text.vietnamese import in_vietnamese_order

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# What a datetime-local input sends (with or without seconds), and what people type where it is not supported.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})


class VietnameseOrderIterator(ModelChoiceIterator):
    """A select of units or agencies in Vietnamese alphabetical order (childprotect/text/vietnamese.py): SQL can
    only give byte order."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in in_vietnamese_order(self.queryset):
            yield self.choice(obj)


class VietnameseOrderModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg] # as django-stubs' own
    iterator = VietnameseOrderIterator
