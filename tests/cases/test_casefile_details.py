"""The smaller things seen in the same walk through the case file: the wording of the risk scale, the measures and
agencies of a plan row by name, the ethnicity filter in Vietnamese, the officer told that separation is the chair's
decision, the transfer's commune type-ahead."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from cases.models import CaseTransfer
from cases.models.procedure import RiskLevel
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case
from tests.cases.conftest import make_full_case, to_needs_meeting
from tests.personas import Personas


@pytest.fixture(autouse=True)
def _no_broker():
    with mock.patch("childprotect.tasks.deliver_email_task.delay"):
        yield


def test_the_risk_scale_starts_with_no_risk(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    page = client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk])).content.decode()
    risk = page[page.index('name="risk_level"') :]
    assert risk.index("Không có nguy cơ") < risk.index("</select>")
    assert "Không có tổn hại" not in risk[: risk.index("</select>")]
    assert RiskLevel.NONE.label == "Không có nguy cơ"


def test_the_officer_is_told_separation_is_the_chairs_decision(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    officer = client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Tạm thời cách ly trẻ khỏi cha mẹ, người chăm sóc là quyết định của Chủ tịch UBND xã" in officer
    chair = client_for(personas.chair_a1).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'value="temporary_separation"' in chair


def test_the_plan_row_offers_measures_and_agencies_by_name(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    to_needs_meeting(personas, case)
    page = client_for(personas.officer_a1).get(reverse("cases:plan", args=[case.pk])).content.decode()
    assert "---------" not in page
    assert "— Không chọn cơ quan —" in page
    assert "50.2.b – Bố trí nơi tạm trú an toàn" in page and "<optgroup" in page


def test_the_ethnicity_filter_speaks_vietnamese(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")  # a Thái child (code 03)
    kinh = do_create_case(
        acting_user=personas.officer_a1,
        child=ChildInput(full_name="Trần Văn Kinh", commune=personas.commune_a1, age_years=8, ethnicity_code="01"),
        case=CaseInput(kind="at_risk", received_at=case.received_at, summary="x"),
        reporter=ReporterInput(channel="phone"),
    )
    client = client_for(personas.officer_a1)
    page = client.get(reverse("cases:list")).content.decode()
    assert ">Thái<" in page and ">Dân tộc thiểu số (mọi dân tộc trừ Kinh)<" in page
    assert "minority (dân tộc thiểu số)" not in page
    for value, shown, hidden in (("03", case, kinh), ("minority", case, kinh), ("kinh", kinh, case)):
        listed = client.get(reverse("cases:list"), {"ethnicity": value}).content.decode()
        assert shown.case_number in listed and hidden.case_number not in listed, value
    # The reports' links for a child coded in another list still work.
    assert client.get(reverse("cases:list"), {"ethnicity": "QD1019_2008:05"}).status_code == 200


def test_the_transfer_takes_the_commune_from_the_type_ahead(personas: Personas, client_for) -> None:
    case = make_full_case(personas, until="received")
    client = client_for(personas.officer_a1)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'list="transfer-commune-options"' in page and '<datalist id="transfer-commune-options">' in page
    options = client.get(reverse("cases:intake-communes"), {"to_commune": "Đại Ph"}).content.decode()
    assert "05767 – Xã Đại Phúc (Thái Nguyên)" in options
    case.refresh_from_db()
    response = client.post(
        reverse("cases:workflow-action", args=[case.pk, "transfer"]),
        {"version": case.version, "to_commune": "05767 – Xã Đại Phúc (Thái Nguyên)", "reason": "Gia đình chuyển nhà"},
    )
    assert response.status_code == 302
    assert CaseTransfer.objects.get(case=case).to_commune == personas.commune_a2


def test_why_a_separation_ended_is_on_the_case_page(personas: Personas, client_for) -> None:
    from cases.services import workflow as wf

    case = make_full_case(personas, until="plan")
    case.refresh_from_db()
    reason = "Theo đánh giá Mẫu 03, mẹ đã bảo đảm an toàn cho cháu"
    wf.do_revoke_separation(acting_user=personas.chair_a1, case=case, expected_version=case.version, reason=reason)
    page = client_for(personas.officer_a1).get(reverse("cases:detail", args=[case.pk])).content.decode()
    section = page[page.index('id="emergency"') : page.index('id="detailed-assessment"')]
    assert "Lý do chấm dứt" in section and reason in section
