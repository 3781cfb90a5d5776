"""The one vocabulary of refusals (childprotect/errors.py): how the API answers each (childprotect/api/errors.py),
how a page shows it (`refusals_on`), that the OpenAPI schema documents the shape, and that no page or endpoint
catches a refusal by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from rest_framework import exceptions

from childprotect.api.errors import api_exception_handler
from childprotect.errors import NotAllowed, RowErrors, RuleViolation, VersionConflict, refusals_on

ROOT = Path(__file__).resolve().parents[2]


def answer(error: Exception, view: object = None) -> tuple[int, object]:
    response = api_exception_handler(error, {"view": view})
    assert response is not None
    return response.status_code, response.data


def test_each_refusal_has_its_status_and_code() -> None:
    assert answer(NotAllowed("Chỉ Chủ tịch.")) == (403, {"detail": "Chỉ Chủ tịch.", "code": "not_allowed"})
    assert answer(RuleViolation("Không thể.")) == (409, {"detail": "Không thể.", "code": "rule_violation"})
    status, body = answer(VersionConflict("Đã đổi.", version=7))
    assert status == 409 and body == {"detail": "Đã đổi.", "code": "version_conflict", "version": 7}
    assert "version" not in answer(VersionConflict())[1]  # type: ignore[operator]


def test_invalid_input_answers_400_keyed_by_field_like_drf() -> None:
    assert answer(ValidationError({"reason": "Không được để trống."})) == (
        400,
        {"reason": ["Không được để trống."]},
    )
    assert answer(ValidationError("Sai.")) == (400, {"detail": "Sai.", "code": "invalid"})
    rows = RowErrors("items", [{}, {"service": "Nhập dịch vụ."}], "Một số dòng chưa hợp lệ.")
    assert answer(rows) == (400, {"items": {"1": {"service": ["Nhập dịch vụ."]}}})


def test_a_view_renames_the_service_fields_to_its_request() -> None:
    class View:
        service_error_fields = {"full_name": "child.full_name", "accident_outcome": "outcome"}

    error = ValidationError({"full_name": "Nhập họ tên.", "accident_outcome": "Chọn hậu quả.", "kind": "x"})
    assert answer(error, View()) == (
        400,
        {"child": {"full_name": ["Nhập họ tên."]}, "outcome": ["Chọn hậu quả."], "kind": ["x"]},
    )


def test_drf_errors_keep_their_shape_and_gain_a_code() -> None:
    assert answer(exceptions.NotFound("Không tìm thấy.")) == (404, {"detail": "Không tìm thấy.", "code": "not_found"})
    status, body = answer(exceptions.PermissionDenied())
    assert status == 403 and body["code"] == "permission_denied"  # type: ignore[index]
    assert answer(exceptions.ValidationError({"kind": ["Sai."]})) == (400, {"kind": ["Sai."]})


class ReasonForm(forms.Form):
    reason = forms.CharField()


class NoteForm(forms.Form):
    note = forms.CharField()


def test_a_page_puts_field_errors_next_to_their_field_and_the_rest_on_top() -> None:
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    with refusals_on(form) as refused:
        raise ValidationError({"reason": "Quá ngắn.", "other": "Lỗi chung."})
    assert refused and refused.status == 400 and not refused.of_step
    assert form.errors == {"reason": ["Quá ngắn."], "__all__": ["Lỗi chung."]}

    form = ReasonForm({"reason": "x"})
    form.is_valid()
    with refusals_on([NoteForm({"note": "y"}), form]) as refused:
        raise ValidationError({"reason": "Quá ngắn."})
    assert form.errors == {"reason": ["Quá ngắn."]}

    form = ReasonForm({"reason": "x"})
    form.is_valid()
    with refusals_on(form) as refused:
        raise VersionConflict("Đã đổi.", version=3)
    assert refused.conflict and refused.status == 409 and form.non_field_errors() == ["Đã đổi."]


def test_rows_get_their_own_errors() -> None:
    rows = [NoteForm({"note": "a"}), NoteForm({"note": "b"})]
    for row in rows:
        row.is_valid()
    top = ReasonForm({"reason": "x"})
    top.is_valid()
    with refusals_on(top, rows={"tasks": rows, "items": rows}):
        raise ValidationError({"tasks.1.note": "Sai dòng 2.", "reason": "Sai."})
    assert rows[1].errors == {"note": ["Sai dòng 2."]} and top.errors == {"reason": ["Sai."]}
    with refusals_on(top, rows={"items": rows}):
        raise RowErrors("items", [{"note": "Sai dòng 1."}, {}], "Một số dòng chưa hợp lệ.")
    assert rows[0].errors == {"note": ["Sai dòng 1."]}


def test_with_a_request_a_refused_step_is_a_message_of_the_page() -> None:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    form = ReasonForm({"reason": "x"})
    form.is_valid()
    with refusals_on(form, request=request) as refused:
        raise RuleViolation("Đã kết thúc.")
    assert refused.of_step and not form.errors
    with refusals_on(request=request):
        raise NotAllowed("Không được.")
    assert [str(m) for m in get_messages(request)] == ["Đã kết thúc.", "Không được."]


def test_other_exceptions_are_not_refusals() -> None:
    with pytest.raises(KeyError), refusals_on(ReasonForm()):
        raise KeyError("a bug stays a bug")


def test_every_operation_documents_its_errors(client_for, personas) -> None:
    schema = client_for(personas.admin).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"Error", "VersionConflictError", "ValidationErrors"} <= set(schema["components"]["schemas"])
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"404"} if "{" in path else set()
            if operation.get("security"):
                expected.add("401")
            if method in {"post", "put", "patch", "delete"}:
                expected |= {"400", "403", "409"} if operation.get("security") else {"400"}
            for code in expected:
                content = operation["responses"].get(code, {}).get("content", {})
                if "application/json" not in content:
                    missing.append(f"{method.upper()} {path} {code}")
    assert not missing, missing


def test_the_unauthenticated_api_answers_401_in_the_one_shape(client, db) -> None:
    response = client.get("/api/v1/units/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated" and response.json()["detail"]
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_unexpected_errors_answer_in_the_one_shape_under_the_api(rf: RequestFactory) -> None:
    from django.db import OperationalError

    from childprotect.views.errors import server_error

    for error, status, code in (
        (KeyError("bug"), 500, "server_error"),
        (OperationalError(), 503, "database_unavailable"),
    ):
        try:
            raise error
        except Exception:
            response = server_error(rf.get("/api/v1/cases/"))
        assert response.status_code == status
        assert json.loads(response.content)["code"] == code and json.loads(response.content)["detail"]
    assert response["Retry-After"]


# Pages and endpoints never turn a refusal into an answer themselves: the handler and `refusals_on` do.
HAND_CAUGHT = re.compile(
    r"^\s*except\b[^:]*\b(ValidationError|ServiceError|NotAllowed|RuleViolation|VersionConflict|RowErrors|"
    r"\w+RuleViolation|\w+VersionConflict)\b"
)


def _request_facing_modules() -> list[Path]:
    modules = []
    for app in ("childprotect", "cases", "directives", "reporting"):
        for name in ("views", "api"):
            base = ROOT / app
            modules += [base / f"{name}.py"] if (base / f"{name}.py").exists() else []
            modules += sorted((base / name).rglob("*.py")) if (base / name).is_dir() else []
    return modules


def test_no_page_or_endpoint_catches_a_refusal_by_hand() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _request_facing_modules()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if HAND_CAUGHT.search(line)
    ]
    assert not offences, "Use refusals_on(form) (pages) or let the API handler answer:\n" + "\n".join(offences)
    assert HAND_CAUGHT.search("        except (CaseRuleViolation, ValidationError) as error:")
