"""Each step of the procedure is declared once (cases/steps.py); its service, its form and its serializer must take
the same input, or the page and the API would drift apart from what the service checks."""

from __future__ import annotations

import dataclasses
import inspect
import re

import pytest
from django import forms
from rest_framework import serializers

from cases.steps import STEPS, Step, StepRole, case_actions

# Every step's service takes these from the page or endpoint itself, never from the step's form or body.
CONTEXT = {"acting_user", "case", "expected_version"}


def service_arguments(step: Step) -> dict[str, bool]:
    """The step's input: keyword argument → whether it is required (has no default)."""
    parameters = inspect.signature(step.service).parameters
    return {
        name: parameter.default is inspect.Parameter.empty
        for name, parameter in parameters.items()
        if name not in CONTEXT
    }


def form_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    return {name: field for name, field in form_class.base_fields.items() if name != "version"}


def serializer_fields(serializer_class: type[serializers.Serializer]) -> dict[str, serializers.Field]:
    return {name: field for name, field in serializer_class().fields.items() if name != "version"}


@pytest.mark.parametrize("step", STEPS.values(), ids=list(STEPS))
def test_the_form_the_serializer_and_the_service_take_the_same_input(step: Step) -> None:
    arguments = service_arguments(step)
    fields = form_fields(step.form)
    body = serializer_fields(step.serializer)
    row_argument = step.rows[0] if step.rows else None
    assert set(fields) | ({row_argument} if row_argument else set()) == set(arguments), "form vs service"
    assert set(body) == set(arguments), "serializer vs service"
    for name, required in arguments.items():
        if not required or name == row_argument:
            continue
        # A checkbox is never required in HTML (unchecked posts nothing): the service gets False.
        assert fields[name].required or isinstance(fields[name], forms.BooleanField), f"form field {name}"
        assert body[name].required, f"serializer field {name}"


@pytest.mark.parametrize("step", [step for step in STEPS.values() if step.rows], ids=lambda step: step.action)
def test_the_rows_of_a_list_agree_too(step: Step) -> None:
    from django.utils.module_loading import import_string

    argument, formset_path, row_input_path = step.rows  # type: ignore[misc]
    row_form = import_string(formset_path).form
    row_body = serializer_fields(type(step.serializer().fields[argument].child))
    row_input = {field.name for field in dataclasses.fields(import_string(row_input_path))}
    assert set(form_fields(row_form)) == row_input == set(row_body)


@pytest.mark.parametrize("step", STEPS.values(), ids=list(STEPS))
def test_each_service_checks_its_own_step(step: Step) -> None:
    """The service starts from its record: `_begin(<ACTION>, …)` refuses other statuses and roles."""
    constant = step.action.upper().replace("-", "_")
    assert re.search(rf"_begin\(\s*{constant}\b", inspect.getsource(step.service)), step.service_path


def test_every_case_action_has_a_page_url_and_an_endpoint(client) -> None:
    from django.urls import reverse

    from cases.api.workflow import ACTION_VIEWS

    assert set(ACTION_VIEWS) == {step.action for step in case_actions()}
    for step in case_actions():
        assert reverse("cases:workflow-action", args=[1, step.action]).endswith(f"/actions/{step.action}/")
        assert reverse(f"case-action-{step.action}", args=[1]) == f"/api/v1/cases/1/actions/{step.action}/"
    assert [step.action for step in STEPS.values() if step.own_page] == ["save-plan"]


def test_only_the_chair_approves_returns_closes_and_rules_on_separation() -> None:
    chair_steps = {action for action, step in STEPS.items() if step.role == StepRole.CHAIR}
    assert chair_steps == {"approve-plan", "return-plan", "close", "extend-separation", "revoke-separation"}
