"""The English catalogue: source strings are Vietnamese, locale/en/LC_MESSAGES/django.po translates them all.

When a test here fails after you added or changed a string: run scripts/update_translations.sh, translate the
empty or "#, fuzzy" entries in django.po, run the script again, and commit django.po and django.mo together.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from childprotect.roles import Role
from tests.core.conftest import PoEntry, parse_po

CATALOGUE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"


@pytest.fixture(autouse=True)
def _back_to_the_default_language() -> Iterator[None]:
    # LocaleMiddleware activates the request's language in this thread and leaves it active after the response:
    # without this, the tests that run next would render in English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _messages() -> list[PoEntry]:
    return [entry for entry in parse_po(PO_FILE) if entry.msgid]  # the header entry has an empty msgid


def test_the_key_strings_come_out_in_english() -> None:
    with translation.override("en"):
        assert str(Role.COMMUNE_OFFICER.label) == "Commune child-protection officer"
        assert str(Role.COMMUNE_CHAIR.label) == "Commune People's Committee chair"
        assert str(Role.ADMIN.label) == "System administrator"
        assert translation.gettext("Đăng nhập") == "Log in"
        assert translation.gettext("Xác thực hai lớp") == "Two-factor authentication"
    with translation.override("vi"):
        assert str(Role.COMMUNE_OFFICER.label) == "Cán bộ bảo vệ trẻ em cấp xã"


def test_the_english_catalogue_is_complete() -> None:
    messages = _messages()
    assert len(messages) > 100, "the catalogue looks truncated"
    empty = [f"line {e.line}: {e.msgid!r}" for e in messages if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in messages if "fuzzy" in e.flags]
    assert not empty, f"untranslated entries in {PO_FILE}:\n" + "\n".join(empty)
    assert not fuzzy, f"fuzzy entries in {PO_FILE} (check the translation, then drop the flag):\n" + "\n".join(fuzzy)
    header = next(entry for entry in parse_po(PO_FILE) if not entry.msgid)
    assert "fuzzy" not in header.flags, "a fuzzy header is left out of the .mo, and with it the charset"


def test_the_translations_keep_their_placeholders() -> None:
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}|</?[a-z]+>")
    for entry in _messages():
        for msgstr in entry.msgstr.values():
            assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(msgstr)), (
                f"line {entry.line}: {entry.msgid!r} → {msgstr!r}"
            )


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    # The .mo is committed (production has no gettext): a .po edited without recompiling would silently not apply.
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in _messages():
        if entry.msgid_plural is not None:
            compiled_text = compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        elif entry.msgctxt is not None:
            compiled_text = compiled.pgettext(entry.msgctxt, entry.msgid)
        else:
            compiled_text = compiled.gettext(entry.msgid)
        if compiled_text != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert not stale, "django.mo is out of date; run scripts/update_translations.sh. Stale: " + repr(stale[:5])


@pytest.mark.django_db
def test_the_login_page_is_vietnamese_until_english_is_chosen() -> None:
    vietnamese = Client().get("/login/")
    assert vietnamese.status_code == 200
    page = vietnamese.content.decode()
    assert '<html lang="vi">' in page
    assert "<title>Đăng nhập \N{EN DASH} Bảo vệ trẻ em</title>" in page
    assert "Log in" not in page

    # The browser's language is not asked (tests/core/test_first_run.py); the switcher's choice is.
    assert "Log in" not in Client(HTTP_ACCEPT_LANGUAGE="en").get("/login/").content.decode()
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    english = client.get("/login/")
    assert english.status_code == 200
    page = english.content.decode()
    assert '<html lang="en">' in page
    assert "<title>Log in \N{EN DASH} Child protection</title>" in page
    assert "Contact your province's system administrator." in page
    assert "Đăng nhập" not in page


@pytest.mark.django_db
def test_the_language_switcher_switches_to_english() -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/").content.decode()
    assert '<html lang="en">' in page and "<h1>Log in</h1>" in page
    # The switcher now offers Vietnamese, named in Vietnamese.
    assert 'value="vi" lang="vi">Tiếng Việt</button>' in page
