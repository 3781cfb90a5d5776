"""Intake API routes. `POST /api/v1/cases/` shares its path with the case list (browse_urls.py): while the list
endpoint does not exist, CaseCreateView serves the path; once browse_urls answers `cases/`, this module steps
aside and the list view takes POST through `cases.api.intake.CaseCreateMixin` / `create_case_from_api`."""

from django.urls import URLPattern, URLResolver, path
from django.urls.exceptions import Resolver404

from cases.api import browse_urls
from cases.api.intake import CaseCreateView, CaseDuplicatesView


def _browse_serves_case_list() -> bool:
    for pattern in browse_urls.urlpatterns:
        try:
            if pattern.resolve("cases/"):
                return True
        except Resolver404:
            continue
    return False


urlpatterns: list[URLPattern | URLResolver] = [
    # Before anything matching cases/<id>/.
    path("cases/duplicates/", CaseDuplicatesView.as_view(), name="case-duplicates"),
]
if not _browse_serves_case_list():
    urlpatterns.append(path("cases/", CaseCreateView.as_view(), name="case-create"))
