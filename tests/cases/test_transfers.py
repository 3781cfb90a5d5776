"""Transferring a case to another commune is a handshake: the sending commune requests (the existing "transfer"
action), the receiving commune's officer or chair accepts — only then does the case move and become theirs — or
declines; the sender may cancel. Pages, API, access, notifications."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseEvent, CaseStatus, CaseTransfer, TransferStatus
from cases.services import transfers as svc
from cases.services import workflow as wf
from cases.services.common import set_status
from cases.steps import available_actions
from childprotect.errors import ServiceError
from childprotect.models import Notification
from tests.cases.conftest import CHILD_NAME
from tests.conftest import REPORTER_NAME, REPORTER_PHONE
from tests.personas import Personas

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_broker")]
JSON = "application/json"


def request(personas: Personas, case: Case, to_commune, user=None) -> CaseTransfer:
    case.refresh_from_db()
    return wf.do_transfer_case(
        acting_user=user or personas.officer_a1,
        case=case,
        expected_version=case.version,
        to_commune=to_commune,
        reason="Gia đình chuyển nơi ở",
    )


def test_the_request_leaves_the_case_where_it_is_and_tells_the_receiving_commune(personas, more, case_a1) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    case_a1.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED and transfer.from_commune == personas.commune_a1
    assert case_a1.commune == personas.commune_a1 and case_a1.status == CaseStatus.RECEIVED
    assert Case.objects.visible_to(personas.officer_a1).filter(pk=case_a1.pk).exists()
    assert not Case.objects.visible_to(more.officer_b1).filter(pk=case_a1.pk).exists()
    for user in (more.officer_b1, more.chair_b1):
        (row,) = Notification.objects.filter(recipient=user, kind="transfer_requested")
        assert case_a1.case_number in row.title and CHILD_NAME not in f"{row.title} {row.body}"
        assert row.url == f"/cases/transfers/{transfer.pk}/"
    assert CaseEvent.objects.filter(case=case_a1, event_type="transfer", details__action="requested").exists()
    with pytest.raises(ServiceError):
        request(personas, case_a1, personas.commune_a2)  # one pending request at a time


def test_accepting_moves_the_case_to_the_receiving_commune(personas: Personas, more, case_a1, client_for) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    with pytest.raises(ServiceError):
        svc.do_accept_transfer(acting_user=personas.officer_a1, transfer=transfer)  # not the receiving side
    with pytest.raises(ServiceError):
        svc.do_accept_transfer(acting_user=personas.province_officer_b, transfer=transfer)  # officer or chair only
    svc.do_accept_transfer(acting_user=more.officer_b1, transfer=transfer)
    case_a1.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert case_a1.commune == personas.commune_b1 and case_a1.province == personas.province_b
    assert case_a1.assigned_officer == more.officer_b1 and case_a1.status == CaseStatus.RECEIVED
    assert client_for(personas.officer_a1).get(f"/cases/{case_a1.pk}/").status_code == 404
    assert client_for(more.officer_b1).get(f"/cases/{case_a1.pk}/").status_code == 200
    assert client_for(personas.province_officer_b).get(f"/cases/{case_a1.pk}/").status_code == 200
    # The sending side keeps the record of where its case went, and is told.
    assert client_for(personas.officer_a1).get(f"/cases/transfers/{transfer.pk}/").status_code == 200
    assert Notification.objects.filter(recipient=personas.officer_a1, kind="transfer_accepted").exists()
    # The receiving officer now works the case through the procedure.
    assert wf.INITIAL_ASSESSMENT in available_actions(more.officer_b1, case_a1)
    with pytest.raises(ServiceError):
        svc.do_accept_transfer(acting_user=more.chair_b1, transfer=transfer)  # already answered


def test_declining_needs_a_reason_and_keeps_the_case(personas: Personas, more, case_a1) -> None:
    from django.core.exceptions import ValidationError

    transfer = request(personas, case_a1, personas.commune_b1)
    with pytest.raises(ValidationError):
        svc.do_decline_transfer(acting_user=more.chair_b1, transfer=transfer, reason=" ")
    svc.do_decline_transfer(acting_user=more.chair_b1, transfer=transfer, reason="Trẻ không cư trú tại phường")
    case_a1.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED and case_a1.commune == personas.commune_a1
    assert Notification.objects.filter(recipient=personas.officer_a1, kind="transfer_declined").exists()
    request(personas, case_a1, personas.commune_a2)  # free to ask elsewhere


def test_the_sender_may_cancel(personas: Personas, more, case_a1) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    with pytest.raises(ServiceError):
        svc.do_cancel_transfer(acting_user=more.officer_b1, transfer=transfer)
    svc.do_cancel_transfer(acting_user=personas.chair_a1, transfer=transfer)
    assert transfer.status == TransferStatus.CANCELLED
    assert Notification.objects.filter(recipient=more.officer_b1, kind="transfer_cancelled").exists()
    with pytest.raises(ServiceError):
        svc.do_accept_transfer(acting_user=more.officer_b1, transfer=transfer)


def test_a_case_closed_meanwhile_is_not_moved(personas: Personas, more, case_a1) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    set_status(case_a1, CaseStatus.NOT_SUBSTANTIATED, actor=personas.chair_a1)
    with pytest.raises(ServiceError):
        svc.do_accept_transfer(acting_user=more.officer_b1, transfer=transfer)
    case_a1.refresh_from_db()
    assert case_a1.commune == personas.commune_a1


def test_the_receiving_side_sees_enough_to_decide_and_never_the_reporter(personas, more, case_a1, client_for):
    transfer = request(personas, case_a1, personas.commune_b1)
    client = client_for(more.officer_b1)
    page = client.get(f"/cases/transfers/{transfer.pk}/").content.decode()
    assert CHILD_NAME in page and "Gia đình chuyển nơi ở" in page
    assert REPORTER_NAME not in page and REPORTER_PHONE not in page
    assert f'action="/cases/transfers/{transfer.pk}/accept/"' in page
    assert client.get(f"/cases/{case_a1.pk}/").status_code == 404  # not theirs until they accept
    listing = client.get("/cases/transfers/").content.decode()
    assert case_a1.case_number in listing and "Chuyển đến" in listing
    assert "Hồ sơ chuyển đến" in client.get("/").content.decode()  # home panel


@pytest.mark.parametrize("who", ["officer_a2", "police_a", "hotline", "nobody"])
def test_outsiders_get_404(personas: Personas, more, case_a1, client_for, who) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    client = client_for(getattr(personas, who))
    for method, url in [
        ("get", f"/cases/transfers/{transfer.pk}/"),
        ("post", f"/cases/transfers/{transfer.pk}/accept/"),
        ("post", f"/cases/transfers/{transfer.pk}/decline/"),
        ("post", f"/cases/transfers/{transfer.pk}/cancel/"),
        ("get", f"/api/v1/transfers/{transfer.pk}/"),
        ("post", f"/api/v1/transfers/{transfer.pk}/accept/"),
    ]:
        assert getattr(client, method)(url).status_code == 404, f"{who} {method} {url}"
    assert client.get("/api/v1/transfers/").json()["count"] == 0


def test_the_pages_accept_and_decline(personas: Personas, more, case_a1, client_for) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    client = client_for(more.chair_b1)
    empty = client.post(f"/cases/transfers/{transfer.pk}/decline/", {"reason": ""})
    assert empty.status_code == 400 and "field-errors" in empty.content.decode()
    accepted = client.post(f"/cases/transfers/{transfer.pk}/accept/")
    assert accepted.status_code == 302 and accepted["Location"] == f"/cases/{case_a1.pk}/"
    case_page = client.get(f"/cases/{case_a1.pk}/").content.decode()
    assert "đã nhận hồ sơ (chuyển từ Phường Phan Đình Phùng)" in case_page  # on the timeline


def test_the_case_page_shows_the_pending_request(personas: Personas, more, case_a1, client_for) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    page = client_for(personas.officer_a1).get(f"/cases/{case_a1.pk}/").content.decode()
    assert "Đang chờ Phường Ba Đình đồng ý nhận hồ sơ" in page
    assert f'href="/cases/transfers/{transfer.pk}/"' in page


def test_the_api_keeps_the_transfer_action_and_adds_the_answers(personas, more, case_a1, client_for) -> None:
    officer = client_for(personas.officer_a1)
    asked = officer.post(
        f"/api/v1/cases/{case_a1.pk}/actions/transfer/",
        {"version": case_a1.version, "to_commune": "00004", "reason": "Chuyển nơi ở"},
        content_type=JSON,
    )
    assert asked.status_code == 200 and asked.json()["status"] == CaseStatus.RECEIVED
    transfer = CaseTransfer.objects.get()
    receiving = client_for(more.officer_b1)
    listed = receiving.get("/api/v1/transfers/").json()
    assert listed["count"] == 1 and listed["results"][0]["to_commune"]["code"] == "00004"
    missing = receiving.post(f"/api/v1/transfers/{transfer.pk}/decline/", {}, content_type=JSON)
    assert missing.status_code == 400 and "reason" in missing.json()
    assert officer.post(f"/api/v1/transfers/{transfer.pk}/accept/").status_code == 403  # the sending side
    accepted = receiving.post(f"/api/v1/transfers/{transfer.pk}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert receiving.get(f"/api/v1/cases/{case_a1.pk}/").status_code == 200
    assert officer.get(f"/api/v1/cases/{case_a1.pk}/").status_code == 404


def test_cancel_through_the_api(personas: Personas, more, case_a1, client_for) -> None:
    transfer = request(personas, case_a1, personas.commune_b1)
    cancelled = client_for(personas.officer_a1).post(f"/api/v1/transfers/{transfer.pk}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
