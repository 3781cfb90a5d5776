"""Notification kinds (childprotect/notification_kinds.py): each kind has its subject and body; a notification is
stored as its kind and values, and written in the reader's language when shown (page, API) or sent (email)."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import translation

from childprotect.models import Notification
from childprotect.notification_kinds import MESSAGES, NotificationKind, render, storable
from childprotect.notifications import deliver_email, notify
from tests.personas import Personas

DUE_AT = datetime.datetime(2025, 9, 10, 7, 30, tzinfo=datetime.UTC)  # 14:30 in Hà Nội
DUE_ON = datetime.date(2025, 9, 20)
DAY_KINDS = {
    NotificationKind.DIRECTIVE_TASK_REMINDER,
    NotificationKind.DIRECTIVE_TASK_OVERDUE,
    NotificationKind.REPORT_READY,
}


def sample_params(kind: NotificationKind, **more) -> dict:
    params = {
        "number": "19-2025-000123",
        "agency": "Công an tỉnh Thái Nguyên",
        "urgency": "urgent",
        "from": "Phường Phan Đình Phùng",
        "to": "Xã Đại Phúc",
        "step": "plan_draft",
        "reference": "5310/UBND-KGVX",
        "item": "3",
        "lead": "Sở Giáo dục và Đào tạo",
        "kind": "annual",
        "year": 2025,
        "unit": "Tỉnh Thái Nguyên",
        "due": DUE_ON if kind in DAY_KINDS else DUE_AT,
        **more,
    }
    return storable(params)


def test_every_kind_has_its_subject_and_body() -> None:
    assert set(MESSAGES) == set(NotificationKind)


@pytest.mark.parametrize("kind", list(NotificationKind), ids=[kind.value for kind in NotificationKind])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_kind_renders_in_both_languages(kind: NotificationKind, language: str) -> None:
    message = MESSAGES[kind]
    for variant in ["", *message.variants]:
        with translation.override(language):
            subject, body = render(kind, sample_params(kind, variant=variant))
        assert subject and body and "%(" not in subject + body
        assert "19-2025-000123" in subject + body or "5310/UBND-KGVX" in subject + body or "2025" in subject


def test_values_with_a_name_are_written_in_the_readers_language() -> None:
    params = sample_params(NotificationKind.REFERRAL_RECEIVED)
    assert params["urgency"] == "urgent" and params["due"] == DUE_AT.isoformat()  # stored as code and ISO moment
    with translation.override("vi"):
        subject, body = render(NotificationKind.REFERRAL_RECEIVED, params)
    assert subject == "Chuyển gửi mới: hồ sơ 19-2025-000123 (Khẩn)"
    assert "Hạn phản hồi: 14:30 10/09/2025" in body
    with translation.override("en"):
        subject, body = render(NotificationKind.REFERRAL_RECEIVED, params)
    assert subject == "New referral: case 19-2025-000123 (Urgent)"
    assert "14:30 10/09/2025" in body


def test_a_notification_is_stored_without_its_text_and_read_in_the_readers_language(
    personas: Personas, client_for
) -> None:
    with mock.patch("childprotect.tasks.deliver_email_task.delay"), translation.override("vi"):
        (row,) = notify(
            [personas.officer_a1],
            kind=NotificationKind.CASE_DEADLINE_OVERDUE,
            params={"number": "19-2025-000123", "step": "plan_draft", "due": DUE_AT},
            url="/cases/1/",
        )
    stored = Notification.objects.values().get(pk=row.pk)
    assert "title" not in stored and "body" not in stored
    assert stored["params"] == {"number": "19-2025-000123", "step": "plan_draft", "due": DUE_AT.isoformat()}

    client = client_for(personas.officer_a1)
    vietnamese = client.get("/notifications/").content.decode()
    assert "Hồ sơ 19-2025-000123: quá hạn bước «Xây dựng kế hoạch»" in vietnamese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/notifications/").content.decode()
    assert "Case 19-2025-000123: step “Draw up the plan” overdue" in english
    api = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert api["title"] == "Case 19-2025-000123: step “Draw up the plan” overdue"
    assert api["kind"] == "case_deadline_overdue"


def test_the_email_is_written_in_the_recipients_language(personas: Personas, client_for) -> None:
    client_for(personas.chair_a1).post("/i18n/setlang/", {"language": "en", "next": "/"})
    personas.chair_a1.refresh_from_db()
    assert personas.chair_a1.language == "en"
    with mock.patch("childprotect.tasks.deliver_email_task.delay"), translation.override("vi"):
        rows = notify(
            [personas.officer_a1, personas.chair_a1],
            kind=NotificationKind.REFERRAL_ACCEPTED,
            params={"number": "19-2025-000123", "agency": "Công an tỉnh Thái Nguyên"},
            url="/cases/1/",
        )
    with translation.override("vi"):
        for row in rows:
            assert deliver_email(row.pk)
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert (
        subjects["officer_a1@example.invalid"]
        == "Hồ sơ 19-2025-000123: Công an tỉnh Thái Nguyên đã tiếp nhận chuyển gửi"
    )
    assert subjects["chair_a1@example.invalid"] == "Case 19-2025-000123: Công an tỉnh Thái Nguyên accepted the referral"


def test_a_missing_value_fails_when_written(personas: Personas) -> None:
    with pytest.raises(KeyError):
        notify([personas.officer_a1], kind=NotificationKind.REFERRAL_ACCEPTED, params={"number": "1"}, url="/")
    assert not Notification.objects.exists()


def test_rows_stored_with_their_text_before_are_shown_as_they_were(personas: Personas) -> None:
    row = Notification.objects.create(
        recipient=personas.officer_a1,
        kind=NotificationKind.REPORT_READY,
        params={"legacy": {"title": "Báo cáo năm 2024 đã lập xong", "body": "Hạn gửi: 15/11/2024."}},
    )
    with translation.override("en"):
        assert (row.title, row.body) == ("Báo cáo năm 2024 đã lập xong", "Hạn gửi: 15/11/2024.")
