"""The dashboard and the report page are all English for a user who chose English (issue 12): the age groups, the
stored report's tables and data warnings included. Only data stays as it is (unit, agency and people's names)."""

from __future__ import annotations

import re

import pytest

from reporting.models import ReportRun
from tests.reporting.conftest import YEAR, request_report

pytestmark = pytest.mark.django_db(transaction=False)

VIETNAMESE = re.compile(r"[ạảãáàâầấậẩẫăằắặẳẵđêềếệểễôồốộổỗơờớợởỡưừứựửữíìịỉĩúùụủũóòọỏõéèẹẻẽýỳỵỷỹĐ]", re.I)
# Data, not interface: the known year's units and agencies, the language switcher's "Tiếng Việt", the remarks.
# The ethnic groups' own names, and the law's item letter "đ)" (Luật Trẻ em, Điều 10) stay too.
DATA = [
    *("Tỉnh Thái Nguyên", "Phường Phan Đình Phùng", "Xã Đại Phúc", "Thái Nguyên", "Phan Đình Phùng", "Đại Phúc"),
    *("Tiếng Việt", "Công an tỉnh", "Kinh", "Tày", "đ)"),
]


def vietnamese_left(page: str) -> list[str]:
    body = page[page.index("<main") : page.index("</main>")]
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    text = re.sub(r'<[^>]+aria-hidden="true"[^>]*>.*?</', " ", text)
    text = re.sub(r"<[^>]+>", "\n", text)
    for name in DATA:
        text = text.replace(name, "")
    return sorted({line.strip() for line in text.splitlines() if VIETNAMESE.search(line)})


def test_the_dashboard_is_english(personas, client_for, known_year) -> None:
    client = client_for(personas.province_officer_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/reports/dashboard/", {"from": f"{YEAR}-01-01", "to": f"{YEAR}-12-31"}).content.decode()
    assert '<html lang="en">' in page
    assert "Under 6" in page  # a seeded age group
    left = vietnamese_left(page)
    assert not left, "Vietnamese left on the page:\n" + "\n".join(left)


def test_the_report_page_is_english(
    personas,
    client_for,
    known_year,
    calendar_year_schedule,
    eager_celery,
    report_storage,
    django_capture_on_commit_callbacks,
) -> None:
    client = client_for(personas.province_officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = request_report(client)  # generated in Vietnamese: the official document's language
    run = ReportRun.objects.get(pk=response.json()["id"])
    assert run.warnings and all(VIETNAMESE.search(w["message"]) for w in run.warnings)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/reports/{run.pk}/").content.decode()
    assert '<html lang="en">' in page
    assert "4 cases do not record the child&#x27;s sex." in page  # a stored warning, worded for the reader
    assert "Sexual abuse – Rape" in page  # a stored row label made of two
    # The stored run itself stays in Vietnamese, the language of the official document.
    run.refresh_from_db()
    assert "vụ việc chưa ghi giới tính của trẻ" in run.warnings[0]["message"]
    left = vietnamese_left(page)
    assert not left, "Vietnamese left on the page:\n" + "\n".join(left)
