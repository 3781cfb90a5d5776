"""Who sees which case on the list, the case page and every API endpoint: outsiders get 404 exactly as for a
missing case; the reporter's identity only for case-working roles of the child's commune and province."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case
from cases.services.files import do_add_attachment
from childprotect.models import AuditEvent
from tests.conftest import REPORTER_NAME, REPORTER_PHONE, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_file(personas, private_storage):
    case = make_case(personas.officer_a1, personas.commune_a1, "Nguyễn Thị Hương", forms=["sexual_abuse"])
    do_add_attachment(
        acting_user=personas.officer_a1,
        case=case,
        uploaded=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    return case


def _endpoints(case: Case) -> list[tuple[str, str]]:
    attachment = case.attachments.get()
    return [
        ("get", f"/cases/{case.pk}/"),
        ("post", f"/cases/{case.pk}/notes/"),
        ("post", f"/cases/{case.pk}/attachments/"),
        ("get", f"/cases/{case.pk}/attachments/{attachment.pk}/"),
        ("get", f"/api/v1/cases/{case.pk}/"),
        ("get", f"/api/v1/cases/{case.pk}/timeline/"),
        ("get", f"/api/v1/cases/{case.pk}/notes/"),
        ("post", f"/api/v1/cases/{case.pk}/notes/"),
        ("get", f"/api/v1/cases/{case.pk}/attachments/"),
        ("post", f"/api/v1/cases/{case.pk}/attachments/"),
        ("get", f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/download/"),
    ]


def _assert_all_404(client, case: Case) -> None:
    for method, url in _endpoints(case):
        data = {"text": "Ghi chú"} if method == "post" else {}
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method.upper()} {url} → {response.status_code}"
        assert REPORTER_NAME.encode() not in response.content


@pytest.mark.parametrize("who", ["officer_a2", "province_officer_b", "police_a", "nobody"])
def test_outsiders_get_404_everywhere_and_an_empty_list(personas, client_for, case_with_file, who):
    client = client_for(getattr(personas, who))
    _assert_all_404(client, case_with_file)
    assert client.get("/api/v1/cases/").json()["count"] == 0
    listing = client.get("/cases/")
    assert listing.status_code == 200
    assert case_with_file.case_number not in listing.content.decode()


def test_missing_case_looks_the_same(personas, client_for, case_with_file):
    client = client_for(personas.officer_a1)
    assert client.get("/cases/999999/").status_code == 404
    assert client.get("/api/v1/cases/999999/").status_code == 404


def test_commune_officer_sees_the_case_with_the_reporter(personas, client_for, case_with_file):
    client = client_for(personas.officer_a1)
    page = client.get(f"/cases/{case_with_file.pk}/").content.decode()
    assert REPORTER_NAME in page and REPORTER_PHONE in page
    data = client.get(f"/api/v1/cases/{case_with_file.pk}/").json()
    assert data["reporter"]["name"] == REPORTER_NAME and data["reporter"]["phone"] == REPORTER_PHONE


def test_province_officer_of_the_same_province_sees_the_reporter(personas, client_for, case_with_file):
    client = client_for(personas.province_officer_a)
    assert REPORTER_NAME in client.get(f"/cases/{case_with_file.pk}/").content.decode()
    assert client.get(f"/api/v1/cases/{case_with_file.pk}/").json()["reporter"]["phone"] == REPORTER_PHONE


def test_hotline_sees_its_own_cases_until_handed_over_never_the_reporter(personas, client_for, private_storage):
    case = make_case(personas.hotline, personas.commune_a1, "Bùi Thị Lan")
    client = client_for(personas.hotline)
    assert [r["id"] for r in client.get("/api/v1/cases/").json()["results"]] == [case.pk]
    assert case.case_number in client.get("/cases/").content.decode()
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    # Not a case-working role: the reporter block is replaced by the confidentiality notice, the key is absent.
    assert REPORTER_NAME not in page.content.decode() and REPORTER_PHONE not in page.content.decode()
    assert "Danh tính người báo tin được bảo mật" in page.content.decode()
    assert "reporter" not in client.get(f"/api/v1/cases/{case.pk}/").json()
    # Another operator's case is not theirs.
    other = make_case(personas.officer_a1, personas.commune_a1, "Ngô Thị Mai")
    assert client.get(f"/cases/{other.pk}/").status_code == 404

    Case.objects.filter(pk=case.pk).update(handed_to_commune_at=timezone.now())
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert case.case_number not in client.get("/cases/").content.decode()
    for url in (f"/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/", f"/api/v1/cases/{case.pk}/timeline/"):
        response = client.get(url)
        assert response.status_code == 404 and REPORTER_NAME.encode() not in response.content
    # … and the commune now has it, with the reporter.
    assert REPORTER_NAME in client_for(personas.officer_a1).get(f"/cases/{case.pk}/").content.decode()


def test_other_province_officer_gets_no_reporter(personas, client_for, case_with_file):
    client = client_for(personas.province_officer_b)
    for url in (f"/cases/{case_with_file.pk}/", f"/api/v1/cases/{case_with_file.pk}/"):
        response = client.get(url)
        assert response.status_code == 404
        assert REPORTER_NAME.encode() not in response.content and REPORTER_PHONE.encode() not in response.content


def test_admin_reads_everything(personas, client_for, case_with_file):
    client = client_for(personas.admin)
    assert client.get(f"/cases/{case_with_file.pk}/").status_code == 200
    assert client.get("/api/v1/cases/").json()["count"] == 1


def test_every_read_of_a_case_is_audited(personas, client_for, case_with_file):
    client = client_for(personas.province_officer_a)
    before = AuditEvent.objects.filter(action="view", target_id=str(case_with_file.pk)).count()
    attachment = case_with_file.attachments.get()
    client.get(f"/cases/{case_with_file.pk}/")
    client.get(f"/api/v1/cases/{case_with_file.pk}/")
    client.get(f"/api/v1/cases/{case_with_file.pk}/timeline/")
    b"".join(client.get(f"/cases/{case_with_file.pk}/attachments/{attachment.pk}/").streaming_content)
    views = AuditEvent.objects.filter(action="view", target_id=str(case_with_file.pk)).order_by("id")
    assert views.count() == before + 4
    assert views.last().details["attachment_id"] == attachment.pk
    assert all(v.actor_username == "province_a" for v in views[before:])
    # The list is not a read of any one case.
    client.get("/cases/")
    assert AuditEvent.objects.filter(action="view", target_id=str(case_with_file.pk)).count() == before + 4


def test_police_notification_is_a_required_step(personas, client_for, case_with_file):
    client = client_for(personas.officer_a1)
    page = client.get(f"/cases/{case_with_file.pk}/").content.decode()
    assert "Phải thông báo ngay cho cơ quan công an (xâm hại tình dục)" in page
    assert client.get(f"/api/v1/cases/{case_with_file.pk}/").json()["police_notification_required"] is True

    from cases.deadlines import meet_deadline

    meet_deadline(case_with_file, "police_notification")
    assert "Phải thông báo ngay" not in client.get(f"/cases/{case_with_file.pk}/").content.decode()
    assert client.get(f"/api/v1/cases/{case_with_file.pk}/").json()["police_notification_required"] is False

    plain = make_case(personas.officer_a1, personas.commune_a1, "Lê Văn Anh")
    assert "Phải thông báo ngay" not in client.get(f"/cases/{plain.pk}/").content.decode()


def test_the_case_page_shows_deadlines_and_the_timeline(personas, client_for, case_with_file):
    client = client_for(personas.officer_a1)
    response = client.get(f"/cases/{case_with_file.pk}/")
    page = response.content.decode()
    assert "Thông báo cơ quan công an (xâm hại tình dục)" in page
    assert "Xây dựng kế hoạch (5 ngày làm việc)" in page
    assert "Bản nháp → Đã tiếp nhận" in page  # the receipt transition, with who and when
    assert "officer_a1" in page
    timeline = client.get(f"/api/v1/cases/{case_with_file.pk}/timeline/").json()
    transition = next(e for e in timeline if e["event_type"] == "transition")
    assert transition["from_status"] == "draft" and transition["to_status"] == "received"
    assert transition["actor"]["username"] == "officer_a1" and transition["at"]
    assert any(e["event_type"] == "attachment" and e["attachment_id"] for e in timeline)
