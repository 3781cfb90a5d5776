"""The intake page: render, invalid input kept, drafts, case numbers, the duplicate check."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus, Child, Reporter
from tests.cases.conftest import intake_form as _form
from tests.cases.conftest import make_child_case

pytestmark = pytest.mark.django_db

URL = "/cases/new/"


def test_the_page_renders_for_a_commune_officer(personas, client_for):
    response = client_for(personas.officer_a1).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiếp nhận thông tin vụ việc" in html
    # The commune is fixed to the officer's own.
    assert re.search(r'<select name="commune"[^>]*>\s*<option value="05713"', html)
    assert "05767" not in html
    assert "Kinh (Việt)" in html and "Ơ Đu" in html
    assert 'hx-get="/cases/new/duplicates/"' in html


def test_roles_that_do_not_record_cases_are_refused(personas, client_for):
    assert client_for(personas.police_a).get(URL).status_code == 403
    assert client_for(personas.admin).get(URL).status_code == 403


def test_province_officer_chooses_among_the_provinces_communes(personas, client_for):
    html = client_for(personas.province_officer_a).get(URL).content.decode()
    assert "05713" in html and "05767" in html and "00004" not in html


def test_one_invalid_field_is_marked_and_every_other_value_is_kept(personas, client_for):
    response = client_for(personas.officer_a1).post(URL, _form(id_number="0123456789"))
    assert response.status_code == 200
    html = response.content.decode()
    assert Case.objects.count() == 0
    error = re.search(r'<ul class="field-errors" id="id_id_number_error">(.*?)</ul>', html, re.S)
    assert error and "12 chữ số" in error.group(1)
    assert 'aria-invalid="true"' in html
    for kept in (
        'value="Nguyễn Văn An"',
        'value="0123456789"',
        'value="2015-03-04"',
        'value="Trần Thị Bình"',
        'value="0912345678"',
        'value="Nguyễn Thị Cúc"',
        "Hàng xóm báo trẻ bị đánh nhiều lần.",
    ):
        assert kept in html, kept
    assert re.search(r'value="violence"[^>]*checked', html)
    assert re.search(r'value="walk_in" selected', html)


def test_a_draft_with_missing_fields_is_saved_and_keeps_what_was_typed(personas, client_for):
    client = client_for(personas.officer_a1)
    response = client.post(
        URL,
        _form(
            action="draft",
            date_of_birth="",
            kind=None,
            immediate_danger=None,
            abuse_forms=None,
            **{"reporter-channel": "", "id_number": "12345"},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    draft = Case.objects.get()
    assert draft.status == CaseStatus.DRAFT and draft.case_number is None
    assert draft.child.full_name == "Nguyễn Văn An"
    assert draft.child.id_number == ""  # the invalid value is not saved…
    assert 'value="12345"' in html  # …but stays in the form, marked
    assert "Đã lưu bản nháp" in html and "còn thiếu" in html
    assert "Loại vụ việc" in html.split("còn thiếu")[1]
    assert draft.child.caregivers.get().full_name == "Nguyễn Thị Cúc"
    assert f'action="/cases/drafts/{draft.pk}/"' in html
    assert 'name="version"' in html

    # The draft is listed; opening it shows what was saved.
    page = client.get(URL).content.decode()
    assert f"/cases/drafts/{draft.pk}/" in page
    reopened = client.get(f"/cases/drafts/{draft.pk}/").content.decode()
    assert 'value="Nguyễn Văn An"' in reopened and 'value="Nguyễn Thị Cúc"' in reopened

    # Saving again replaces the caregivers, it does not duplicate them.
    draft.refresh_from_db()
    client.post(f"/cases/drafts/{draft.pk}/", _form(action="draft", version=str(draft.version), kind=None))
    assert draft.child.caregivers.count() == 1

    # Submitting the draft gives it a number.
    draft.refresh_from_db()
    response = client.post(f"/cases/drafts/{draft.pk}/", _form(version=str(draft.version), child_choice="new"))
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.status == CaseStatus.RECEIVED
    assert re.fullmatch(r"19-\d{4}-000001", draft.case_number)
    assert response["Location"].rstrip("/").endswith(f"/cases/{draft.pk}")


def test_other_officers_cannot_open_someone_elses_draft(personas, client_for):
    client_for(personas.officer_a1).post(URL, _form(action="draft"))
    draft = Case.objects.get()
    assert client_for(personas.chair_a1).get(f"/cases/drafts/{draft.pk}/").status_code == 404
    assert client_for(personas.officer_a2).get(f"/cases/drafts/{draft.pk}/").status_code == 404


def test_submitting_creates_the_case_and_redirects_to_it(personas, client_for):
    response = client_for(personas.officer_a1).post(URL, _form())
    assert response.status_code == 302
    case = Case.objects.get()
    assert re.search(rf"/cases/{case.pk}/?$", response["Location"])
    assert case.status == CaseStatus.RECEIVED and case.case_number
    assert case.assigned_officer == personas.officer_a1
    assert Reporter.objects.get(case=case).name == "Trần Thị Bình"
    assert case.child.caregivers.get().relationship == "mẹ"


def test_recording_requires_the_essentials_with_vietnamese_messages(personas, client_for):
    response = client_for(personas.officer_a1).post(
        URL, _form(full_name="", date_of_birth="", abuse_forms=None, **{"reporter-channel": ""})
    )
    html = response.content.decode()
    assert Case.objects.count() == 0
    assert "Nhập họ và tên của trẻ" in html
    assert "Nhập ngày sinh hoặc tuổi" in html
    assert "Chọn ít nhất một hình thức xâm hại" in html
    assert "Chọn kênh tiếp nhận" in html


def test_age_outside_0_to_17_is_refused(personas, client_for):
    html = client_for(personas.officer_a1).post(URL, _form(date_of_birth="", age_years="18")).content.decode()
    assert "17 tuổi" in html and Case.objects.count() == 0


def test_an_accident_records_type_and_outcome(personas, client_for):
    response = client_for(personas.officer_a1).post(
        URL, _form(kind="accident", accident_type="drowning", accident_outcome="death", abuse_forms=["violence"])
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.kind, case.accident_type, case.accident_outcome, case.abuse_forms) == (
        "accident", "drowning", "death", []
    )  # fmt: skip
    assert case.next_deadline_at is None


def test_id_number_disagreeing_with_birth_and_sex_is_a_warning_not_an_error(personas, client_for):
    # 4th digit 3 = born in the 2000s, female; the form says male.
    client = client_for(personas.officer_a1)
    html = client.post(URL, _form(id_number="019315123456", action="draft")).content.decode()
    assert "không khớp với giới tính" in html
    assert Case.objects.get().child.id_number == "019315123456"


def test_case_numbers_are_sequential_per_province_and_never_reused(personas, client_for):
    client = client_for(personas.officer_a1)
    year = timezone.localdate().year
    client.post(URL, _form(full_name="Lê Văn Một", child_choice="new"))
    client.post(URL, _form(full_name="Lê Văn Hai", child_choice="new", action="draft"))
    Case.objects.filter(status=CaseStatus.DRAFT).delete()
    client.post(URL, _form(full_name="Phạm Thị Ba", child_choice="new"))
    numbers = sorted(Case.objects.values_list("case_number", flat=True))
    assert numbers == [f"19-{year}-000001", f"19-{year}-000002"]
    # A deleted case's number is not given again.
    Case.objects.filter(case_number=f"19-{year}-000002").delete()
    client.post(URL, _form(full_name="Đỗ Văn Bốn", child_choice="new"))
    assert Case.objects.filter(case_number=f"19-{year}-000003").exists()
    assert not Case.objects.filter(case_number=f"19-{year}-000002").exists()
    # Another province counts on its own.
    client_for(personas.hotline).post(URL, _form(commune="00004", child_choice="new"))
    assert Case.objects.filter(case_number=f"01-{year}-000001").exists()


def test_submit_shows_likely_existing_children_before_creating_a_new_one(personas, client_for):
    known = make_child_case(personas.officer_a1, personas.commune_a1, "Nguyễn Thị Hương").child
    client = client_for(personas.officer_a1)
    response = client.post(URL, _form(full_name="Nguyen Thi Huong", sex="female"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Thị Hương" in html and "Đây là trẻ này" in html and "Trẻ mới" in html
    assert f'name="child_choice" value="{known.pk}"' in html
    assert Case.objects.count() == 1

    # The officer links the report to the known child.
    response = client.post(URL, _form(full_name="Nguyen Thi Huong", sex="female", child_choice=str(known.pk)))
    assert response.status_code == 302
    assert Child.objects.count() == 1
    assert known.cases.count() == 2


def test_confirming_a_new_child_creates_one(personas, client_for):
    make_child_case(personas.officer_a1, personas.commune_a1, "Nguyễn Thị Hương")
    response = client_for(personas.officer_a1).post(URL, _form(full_name="Nguyen Thi Huong", child_choice="new"))
    assert response.status_code == 302
    assert Child.objects.count() == 2


def test_live_duplicate_check_ignores_diacritics_and_stays_in_the_commune(personas, client_for):
    make_child_case(personas.officer_a1, personas.commune_a1, "Nguyễn Thị Hương")
    make_child_case(personas.officer_a2, personas.commune_a2, "Nguyễn Thị Hương")
    client = client_for(personas.officer_a1)
    html = client.get("/cases/new/duplicates/", {"full_name": "nguyen thi huong", "commune": "05713"}).content.decode()
    assert html.count("Nguyễn Thị Hương") == 1 and "Phan Đình Phùng" in html and "Đại Phúc" not in html
    # Another commune's children never show, even when asked for by its code.
    html = client.get("/cases/new/duplicates/", {"full_name": "nguyen thi huong", "commune": "05767"}).content.decode()
    assert "Nguyễn Thị Hương" not in html


def test_live_duplicate_check_finds_the_id_number(personas, client_for):
    make_child_case(personas.officer_a1, personas.commune_a1, "Hoàng Minh", id_number="019215000111")
    html = (
        client_for(personas.officer_a1)
        .get("/cases/new/duplicates/", {"full_name": "", "commune": "05713", "id_number": "019215000111"})
        .content.decode()
    )
    assert "Hoàng Minh" in html and "0111" in html and "019215000111" not in html


def test_duplicate_check_queries_stay_bounded(personas, client_for, django_assert_max_num_queries):
    for n in range(6):
        make_child_case(personas.officer_a1, personas.commune_a1, f"Nguyễn Thị Hương {n}")
    client = client_for(personas.officer_a1)
    client.get("/cases/new/duplicates/", {"full_name": "Nguyen Thi Huong", "commune": "05713"})
    with django_assert_max_num_queries(7):  # one more: the search's audit row
        html = client.get(
            "/cases/new/duplicates/", {"full_name": "Nguyen Thi Huong", "commune": "05713"}
        ).content.decode()
    assert html.count('name="child_choice"') == 7  # six candidates and "new"


def test_hotline_searches_any_commune(personas, client_for):
    client = client_for(personas.hotline)
    page = client.get(URL).content.decode()
    assert 'list="commune-options"' in page
    html = client.get("/cases/new/communes/", {"commune": "ba dinh"}).content.decode()
    assert "00004 – Phường Ba Đình (Hà Nội)" in html
    response = client.post(URL, _form(commune="00004 – Phường Ba Đình (Hà Nội)", child_choice="new"))
    assert response.status_code == 302
    assert Case.objects.get().commune == personas.commune_b1


def test_adding_a_caregiver_row_keeps_everything(personas, client_for):
    html = client_for(personas.officer_a1).post(URL, _form(action="add_caregiver")).content.decode()
    assert 'name="caregivers-1-full_name"' in html and 'value="Nguyễn Văn An"' in html
    assert Case.objects.count() == 0
