"""The form inputs every page shares: the browser's own date and time pickers (which submit ISO values, so a typed
"05/12/2025" is never read month first) and the short text area."""

from __future__ import annotations

from django import forms

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# What a datetime-local input sends (with or without seconds), and what people type where it is not supported.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})
