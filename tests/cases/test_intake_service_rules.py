"""Service-level rules of intake that the page and the API both rely on."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cases.models import CaseStatus
from cases.services.intake import CaseInput, ChildInput, ReporterInput, do_create_case
from childprotect.errors import ServiceError

pytestmark = pytest.mark.django_db


def test_it_keeps_the_kind_of_an_accident_draft_without_its_type(personas):
    case = do_create_case(
        acting_user=personas.officer_a1,
        child=ChildInput(full_name="Lò Văn Páo", commune=personas.commune_a1, age_years=7),
        case=CaseInput(kind="accident", received_at=timezone.now()),
        reporter=ReporterInput(channel="phone"),
        draft=True,
    )
    case.refresh_from_db()
    assert (case.kind, case.status, case.case_number) == ("accident", CaseStatus.DRAFT, None)


def test_it_refuses_to_link_a_child_of_a_commune_the_user_does_not_work_in(personas):
    other = do_create_case(
        acting_user=personas.officer_a2,
        child=ChildInput(full_name="Nguyễn Thị Hương", commune=personas.commune_a2, age_years=9),
        case=CaseInput(kind="at_risk", received_at=timezone.now()),
        reporter=ReporterInput(channel="phone"),
    )
    with pytest.raises(ServiceError):
        do_create_case(
            acting_user=personas.officer_a1,
            child=ChildInput(full_name="Nguyễn Thị Hương", commune=personas.commune_a1, age_years=9),
            case=CaseInput(kind="at_risk", received_at=timezone.now()),
            reporter=ReporterInput(channel="phone"),
            existing_child=other.child,
        )
