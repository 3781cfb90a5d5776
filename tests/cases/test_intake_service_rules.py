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


def test_a_blank_place_of_incident_is_recorded_as_the_childs_commune(personas):
    def record(kind: str, *, draft: bool = False, incident_commune=None, **case):
        return do_create_case(
            acting_user=personas.officer_a1,
            child=ChildInput(full_name="Lò Văn Páo", commune=personas.commune_a1, age_years=7),
            case=CaseInput(kind=kind, received_at=timezone.now(), incident_commune=incident_commune, **case),
            reporter=ReporterInput(channel="phone"),
            draft=draft,
        )

    # Left blank, as the form says to when it happened where the child lives: recorded as that commune.
    assert record("abuse", abuse_forms=["violence"]).incident_commune == personas.commune_a1
    drowned = record("accident", accident_type="drowning", accident_outcome="death")
    assert drowned.incident_commune == personas.commune_a1
    # A place given stays; a special circumstance has no incident; a draft is filled in when submitted.
    elsewhere = record("abuse", abuse_forms=["violence"], incident_commune=personas.commune_a2)
    assert elsewhere.incident_commune == personas.commune_a2
    assert record("special_circumstance", special_groups=["a"]).incident_commune is None
    draft = record("abuse", draft=True, abuse_forms=["violence"])
    draft.refresh_from_db()
    assert draft.incident_commune is None

    # So the report's data check no longer says the place is missing.
    from reporting.figures.compute import figure_context
    from reporting.figures.types import Scope
    from reporting.quality import data_quality_warnings

    today = timezone.localdate()
    scope = Scope(unit=personas.province_a, start=today, end=today, as_of=timezone.now())
    warnings = data_quality_warnings(figure_context(personas.province_officer_a, scope))
    assert "missing_commune" not in {warning["code"] for warning in warnings}
