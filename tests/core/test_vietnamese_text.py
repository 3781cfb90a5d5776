from __future__ import annotations

from childprotect.text.vietnamese import person_sort_key, search_key, sort_key


def test_it_ignores_diacritics_and_case_for_search():
    assert search_key("Nguyễn Thị Hương") == search_key("Nguyen Thi Huong") == "nguyen thi huong"
    assert search_key("ĐẶNG  văn   Đức ") == "dang van duc"


def test_it_sorts_in_vietnamese_alphabetical_order():
    words = ["Đức", "Ba", "Á", "Ăn", "A", "Dương", "Anh", "Âu", "An", "Ánh", "Dũng", "An Bình", "Ạ", "à"]
    assert sorted(words, key=sort_key) == [
        "A", "à", "Á", "Ạ", "An", "An Bình", "Anh", "Ánh", "Ăn", "Âu", "Ba", "Dũng", "Dương", "Đức",
    ]  # fmt: skip


def test_it_sorts_people_by_given_name_then_full_name():
    people = ["Trần Văn Bình", "Nguyễn Thị An", "Lê Ánh", "Phạm Đức", "Hoàng Dũng", "Lê Anh", "Vũ Thị Anh"]
    assert sorted(people, key=person_sort_key) == [
        "Nguyễn Thị An", "Lê Anh", "Vũ Thị Anh", "Lê Ánh", "Trần Văn Bình", "Hoàng Dũng", "Phạm Đức",
    ]  # fmt: skip


def test_it_keys_are_plain_ascii_so_any_collation_orders_them_alike():
    assert sort_key("Đặng Thị Ánh").isascii()
