"""The API's own words from its libraries are Vietnamese too: DRF's (and knox's) messages, and the Django form and
validator messages an answer can carry, come from locale_vendor/vi/LC_MESSAGES/django.po; DRF's own vi catalogue
has about twenty. English stays English (`Accept-Language: en`, as the schema documents).

When a catalogue test fails after upgrading DRF, knox or Django: a message was added, reworded or given another
placeholder. Translate it in locale_vendor/vi/LC_MESSAGES/django.po (keeping every placeholder), drop what the
library no longer has, and compile: `msgfmt --check -o ….mo ….po`.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import django
import knox
import pytest
import rest_framework
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from knox.models import AuthToken
from rest_framework.exceptions import Throttled

from tests.core.conftest import PoEntry, parse_po

VENDOR_DIR = Path(settings.BASE_DIR) / "locale_vendor" / "vi" / "LC_MESSAGES"
PO_FILE = VENDOR_DIR / "django.po"
MO_FILE = VENDOR_DIR / "django.mo"
DRF_DIR = Path(rest_framework.__file__).parent
DJANGO_PO = Path(django.__file__).parent / "conf" / "locale" / "en" / "LC_MESSAGES" / "django.po"
# {input}, {code_point:X}, %(value)s, %(value)r, %(max)d …
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sdr]")
TRANSLATION_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}


# --- The catalogue ------------------------------------------------------------------------------------------------


def _entries() -> list[PoEntry]:
    return [entry for entry in parse_po(PO_FILE) if entry.msgid]


def _marked_in_source(package: Path) -> set[str]:
    """Every string a package's Python code marks for translation: `_("…")`, `gettext_lazy("…")`, `ngettext(…)`."""
    found: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in TRANSLATION_CALLS:
                continue
            plural = name.startswith("ngettext")
            for arg in node.args[: 2 if plural else 1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
    return found


def _drf_messages() -> set[str]:
    """DRF's messages: its English catalogue (templates included), and its code and knox's, which a catalogue
    released with DRF may lag behind."""
    with (DRF_DIR / "locale" / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    from_catalogue = {key if isinstance(key, str) else key[0] for key in catalogue}
    return {m for m in from_catalogue | _marked_in_source(DRF_DIR) | _marked_in_source(Path(knox.__file__).parent) if m}


def _django_messages() -> set[str]:
    entries = parse_po(DJANGO_PO)
    return {entry.msgid for entry in entries if entry.msgid} | {e.msgid_plural for e in entries if e.msgid_plural}


def test_every_drf_and_knox_message_is_translated() -> None:
    translated = {entry.msgid for entry in _entries() if entry.msgstr and all(entry.msgstr.values())}
    missing = sorted(_drf_messages() - translated)
    assert not missing, f"DRF or knox messages without Vietnamese in {PO_FILE}:\n" + "\n".join(missing)


def test_every_translation_keeps_the_placeholders_of_a_message_the_library_still_has() -> None:
    # A library that renames a placeholder changes the msgid: the old entry is then stale here, and the new
    # message untranslated (the test above).
    known = _drf_messages() | _django_messages()
    for entry in _entries():
        assert "fuzzy" not in entry.flags, f"line {entry.line}: fuzzy entry {entry.msgid!r}"
        assert entry.msgid in known, f"line {entry.line}: no library has {entry.msgid!r} any more: remove it"
        if entry.msgid_plural is not None:
            assert entry.msgid_plural in known, f"line {entry.line}: {entry.msgid_plural!r} is gone"
        for msgstr in entry.msgstr.values():
            assert msgstr, f"line {entry.line}: {entry.msgid!r} is untranslated"
            assert sorted(PLACEHOLDER.findall(entry.msgid)) == sorted(PLACEHOLDER.findall(msgstr)), (
                f"line {entry.line}: {entry.msgid!r} → {msgstr!r}"
            )


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    # Committed compiled, as production has no gettext: an edit of the .po without msgfmt would not apply.
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = [
        entry.msgid
        for entry in _entries()
        if (
            compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            if entry.msgid_plural is not None
            else compiled.gettext(entry.msgid)
        )
        != entry.msgstr[0]
    ]
    assert not stale, "django.mo is out of date: msgfmt --check -o django.mo django.po. Stale: " + repr(stale[:5])


def test_the_english_catalogue_stays_first_and_alone() -> None:
    # makemessages (scripts/update_translations.sh) writes to the first LOCALE_PATHS entry, and walks into no
    # folder named otherwise than "locale": the English catalogue keeps every project string.
    assert settings.LOCALE_PATHS[0] == Path(settings.BASE_DIR) / "locale"
    assert Path(settings.LOCALE_PATHS[1]).name != "locale"
    assert not (Path(settings.BASE_DIR) / "locale" / "vi").exists()


def test_the_libraries_speak_vietnamese_and_english() -> None:
    from django import forms
    from rest_framework import serializers

    def drf_refusal(field: serializers.Field, value: object) -> str:
        with pytest.raises(serializers.ValidationError) as refused:
            field.run_validation(value)
        return str(refused.value.detail[0])

    def form_refusal(field: forms.Field, value: object) -> str:
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(value)
        return refused.value.messages[0]

    with translation.override("vi"):
        assert drf_refusal(serializers.IntegerField(), "x") == "Phải là một số nguyên hợp lệ."
        assert drf_refusal(serializers.ListField(), "x") == "Cần một danh sách, nhưng nhận được kiểu “str”."
        assert drf_refusal(serializers.ChoiceField(choices=["a"]), "x") == "“x” không phải là lựa chọn hợp lệ."
        assert drf_refusal(serializers.CharField(max_length=2), "xyz") == "Trường này không được quá 2 ký tự."
        assert form_refusal(forms.IntegerField(), "x") == "Nhập một số nguyên."
        assert str(Throttled(wait=5).detail) == "Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau 5 giây."
    with translation.override("en"):
        assert drf_refusal(serializers.IntegerField(), "x") == "A valid integer is required."
        assert form_refusal(forms.IntegerField(), "x") == "Enter a whole number."
        assert str(Throttled(wait=1).detail) == "Request was throttled. Expected available in 1 second."


# --- Through the API ----------------------------------------------------------------------------------------------


def _token_client(user: object, **headers: str) -> Client:
    _, token = AuthToken.objects.create(user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}", **headers)


def _intake(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "child": {"full_name": "Nguyễn Thị Hương", "age_years": 9, "commune": "05713"},
        "kind": "abuse",
        "abuse_forms": ["violence"],
        "received_at": timezone.now().isoformat(),
        "reporter": {"channel": "hotline_111"},
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_a_case_with_a_missing_field_and_wrong_types_answers_in_vietnamese(personas) -> None:
    client = _token_client(personas.officer_a1)
    body = _intake(
        child={"age_years": "9" * 1001, "commune": "05713"},  # no full_name; an "integer" too long to read
        existing_child="abc",
        summary="Bé\x00Hương",
    )
    del body["kind"]
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Language"] == "vi"
    assert response.json() == {
        "child": {"full_name": ["Trường này là bắt buộc."], "age_years": ["Chuỗi giá trị quá dài."]},
        "kind": ["Trường này là bắt buộc."],
        "existing_child": ["Phải là một số nguyên hợp lệ."],
        "summary": ["Không được dùng ký tự null."],
    }


@pytest.mark.django_db
def test_the_same_case_answers_in_english_when_asked(personas) -> None:
    client = _token_client(personas.officer_a1, HTTP_ACCEPT_LANGUAGE="en")
    body = _intake(
        child={"age_years": "9" * 1001, "commune": "05713"},
        existing_child="abc",
        summary="Bé\x00Hương",
        reporter={"channel": "pigeon"},
    )
    del body["kind"]
    response = client.post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    # DRF's own English, not an English rendering of Vietnamese words of the project's.
    assert response.json() == {
        "child": {"full_name": ["This field is required."], "age_years": ["String value too large."]},
        "kind": ["This field is required."],
        "existing_child": ["A valid integer is required."],
        "reporter": {"channel": ['"pigeon" is not a valid choice.']},
        "summary": ["Null characters are not allowed."],
    }


@pytest.mark.django_db
def test_a_wrong_token_answers_in_vietnamese_and_english(personas) -> None:
    wrong = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert wrong.get("/api/v1/units/").json() == {
        "detail": "Mã API không hợp lệ, đã hết hạn hoặc đã bị thu hồi.",
        "code": "authentication_failed",
    }
    assert Client(HTTP_AUTHORIZATION="Token").get("/api/v1/units/").json() == {
        "detail": "Tiêu đề Token không hợp lệ: thiếu mã API.",
        "code": "authentication_failed",
    }
    assert Client().get("/api/v1/units/").json() == {
        "detail": "Chưa cung cấp thông tin xác thực.",
        "code": "not_authenticated",
    }
    english = Client(HTTP_AUTHORIZATION="Token 0123456789abcdef", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert english.get("/api/v1/units/").json() == {"detail": "Invalid token.", "code": "authentication_failed"}
    # A Vietnamese client's usual header is Vietnamese.
    vietnamese = Client(HTTP_ACCEPT_LANGUAGE="vi-VN,vi;q=0.9,en;q=0.8")
    assert vietnamese.get("/api/v1/units/").json()["detail"] == "Chưa cung cấp thông tin xác thực."


@pytest.mark.django_db
def test_the_token_endpoint_a_filter_a_media_type_and_a_page_answer_in_vietnamese(personas) -> None:
    token = Client().post("/api/v1/auth/token/", {"password": []}, content_type="application/json")
    assert token.status_code == 400
    assert token.json() == {"username": ["Trường này là bắt buộc."], "password": ["Phải là một chuỗi ký tự."]}

    client = _token_client(personas.officer_a1)
    assert client.get("/api/v1/cases/", {"age_min": "nhiều"}).json() == {"age_min": ["Nhập một số."]}
    plain = client.post("/api/v1/cases/", "kind=abuse", content_type="text/plain")
    assert plain.status_code == 415
    assert plain.json() == {
        "detail": "Không hỗ trợ kiểu nội dung “text/plain” trong yêu cầu.",
        "code": "unsupported_media_type",
    }
    beyond = client.get("/api/v1/units/", {"page": 9999})
    assert beyond.status_code == 404 and beyond.json()["detail"] == "Trang không hợp lệ."

    english = _token_client(personas.officer_a1, HTTP_ACCEPT_LANGUAGE="en")
    assert english.get("/api/v1/cases/", {"age_min": "many"}).json() == {"age_min": ["Enter a number."]}
