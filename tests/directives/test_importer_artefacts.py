"""One artefact at a time: what PDF and Word conversions, legal libraries' pages and hurried pastes do to a
directive, and what the importer reads through it (the corpus test covers them together)."""

from __future__ import annotations

from directives.importer import parse_directive
from directives.importer.assignments import agency_list
from directives.importer.normalise import normalise

HEADER = """ỦY BAN NHÂN DÂN
TỈNH THÁI NGUYÊN

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Số: 812/UBND-KGVX
V/v phòng, chống xâm hại trẻ em

Thái Nguyên, ngày 04 tháng 3 năm 2024
"""
BODY = """
Kính gửi:
- Sở Giáo dục và Đào tạo;
- Công an tỉnh.

Thực hiện Chỉ thị số 23/CT-TTg ngày 26/5/2020 của Thủ tướng Chính phủ, Chủ tịch UBND tỉnh yêu cầu:

1. Sở Giáo dục và Đào tạo chỉ đạo các trường tổ chức tuyên truyền trước ngày 30/4/2024.

2. Công an tỉnh điều tra, xử lý nghiêm các vụ việc xâm hại trẻ em.
"""


def parse(text: str) -> dict:
    return parse_directive(text).to_dict()


def test_a_cited_symbol_keeps_its_case_and_punctuation() -> None:
    d = parse(HEADER + BODY)
    assert [(r["number"], r["symbol"]) for r in d["references"]] == [("23", "CT-TTg")]
    assert d["symbol"] == "UBND-KGVX"


def test_kinh_gui_on_a_bullet_line_of_its_own_still_lists_the_recipients() -> None:
    text = HEADER + BODY.replace("Kính gửi:\n- Sở", "- **Kính gửi:**\n    - Sở").replace(
        "\n- Công an", "\n    - Công an"
    )
    assert parse(text)["recipients"] == ["Sở Giáo dục và Đào tạo", "Công an tỉnh"]


def test_a_number_line_without_colon_and_with_spaces_around_the_slash() -> None:
    d = parse(HEADER.replace("Số: 812/UBND-KGVX", "Số 812 / UBND-KGVX") + BODY)
    assert (d["number"], d["symbol"]) == ("812", "UBND-KGVX")


def test_the_quoc_hieu_before_the_issuer_and_the_date_before_the_subject() -> None:
    header = """**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
**Độc lập - Tự do - Hạnh phúc**

**ỦY BAN NHÂN DÂN**
**TỈNH THÁI NGUYÊN**

*Thái Nguyên, ngày 04 tháng 3 năm 2024*

Số: 812/UBND-KGVX
V/v phòng, chống xâm hại trẻ em
"""
    d = parse(header + BODY)
    assert d["issuer"] == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"
    assert (d["place"], d["issued_on"]) == ("Thái Nguyên", "2024-03-04")
    assert d["subject"] == "phòng, chống xâm hại trẻ em"


def test_no_issuer_block_leaves_the_issuer_empty_with_a_warning() -> None:
    header = HEADER.replace("ỦY BAN NHÂN DÂN\nTỈNH THÁI NGUYÊN\n", "")
    d = parse(header + BODY)
    assert d["issuer"] is None
    assert "Không tìm thấy cơ quan ban hành" in d["warnings"]
    assert d["number"] == "812"  # everything else is still read


def test_markdown_headings_bold_escaped_asterisks_nested_bullets_and_footnotes() -> None:
    text = (
        "# **ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN**\n\n## CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\n"
        "Số: 812/UBND-KGVX\nV/v phòng, chống xâm hại trẻ em¹\n\n_Thái Nguyên, ngày 04 tháng 3 năm 2024_\n\n"
        "Thực hiện Chỉ thị số 23/CT-TTg ngày 26/5/2020[2] của Thủ tướng Chính phủ, Chủ tịch UBND tỉnh yêu cầu:\n\n"
        "**1\\.** Sở Giáo dục và Đào tạo:\n\n  a) Chỉ đạo các trường:\n"
        "    \\* tuyên truyền trước ngày 30/4/2024;\n"
        "    * tổ chức sinh hoạt chuyên đề.\n\n**2.** Công an tỉnh điều tra các vụ việc.\n\n"
        "[^1]: Ghi chú của người dán.\n"
    )
    d = parse(text)
    assert d["subject"] == "phòng, chống xâm hại trẻ em"
    assert d["references"][0]["issued_on"] == "2020-05-26"
    assert [t["label"] for t in d["tasks"]] == ["1", "2"]
    assert [t["lead"][0]["name"] for t in d["tasks"]] == ["Sở Giáo dục và Đào tạo", "Công an tỉnh"]
    assert d["tasks"][0]["deadline"] == {"kind": "date", "date": "2024-04-30"}
    assert "Ghi chú" not in normalise(text)


def test_a_letterhead_pasted_from_a_table_with_wrapped_cells() -> None:
    text = (
        "ỦY\nBAN NHÂN DÂN\nTỈNH LÂM ĐỒNG\n-------\n|\nCỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n---------------\n|\n"
        "Số:\n7849/KH-UBND\n|\nLâm\nĐồng, ngày 03 tháng 11 năm 2021\n|\n"
        "KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH\nTRÊN ĐỊA BÀN TỈNH\n"
        "Thực hiện Quyết định số 1248/QĐ-TTg\nngày 19/7/2021 của Thủ tướng Chính phủ, "
        "Ủy ban nhân dân tỉnh ban hành kế hoạch:\n"
    )
    d = parse(text)
    assert d["issuer"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert (d["number"], d["symbol"], d["place"], d["issued_on"]) == ("7849", "KH-UBND", "Lâm Đồng", "2021-11-03")
    assert d["subject"] == "THỰC HIỆN CHƯƠNG TRÌNH TRÊN ĐỊA BÀN TỈNH"
    assert d["references"][0]["issued_on"] == "2021-07-19"


def test_a_page_number_alone_on_its_line_is_not_text() -> None:
    assert normalise("Đoạn một kết thúc.\n\n2\n\nĐoạn hai.") == "Đoạn một kết thúc.\n\nĐoạn hai."


def test_a_lead_is_the_bodys_name_alone() -> None:
    assert agency_list("Đoàn Thanh niên tỉnh phát động phong trào bơi an toàn") == ["Đoàn Thanh niên tỉnh"]
    assert agency_list("Sở Y tế, Bảo hiểm xã hội tỉnh cân đối nguồn kinh phí") == ["Sở Y tế", "Bảo hiểm xã hội tỉnh"]
    assert agency_list("Báo Thái Nguyên, Đài Phát thanh - Truyền hình tỉnh tăng thời lượng tuyên truyền") == [
        "Báo Thái Nguyên",
        "Đài Phát thanh - Truyền hình tỉnh",
    ]
    assert agency_list("UBND các huyện, thành phố nắm bắt tình hình trẻ em") == ["UBND các huyện, thành phố"]


def test_words_that_only_look_like_a_body_are_no_lead() -> None:
    assert agency_list("Báo cáo kết quả về Sở Lao động - Thương binh và Xã hội") == []
    assert agency_list("Phòng, chống đuối nước cho trẻ em") == []
    assert agency_list("Hội nghị sơ kết được tổ chức") == []
    assert agency_list("Ban hành kế hoạch phòng, chống xâm hại") == []


def test_line_breaks_shown_as_escapes_are_line_breaks() -> None:
    # As a legal library showed Lạng Sơn's Kế hoạch 54/KH-UBND (2020): its source's "\\r\\n" on the page.
    text = (
        "\\r\\n ỦY BAN NHÂN DÂN | \\r\\n \\r\\n CỘNG\\r\\n HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM | \\r\\n\n"
        "\\r\\n Số: 54/KH-UBND \\r\\n | \\r\\n \\r\\n Lạng Sơn, ngày 27 tháng 3 năm 2020 \\r\\n | \\r\\n\n"
        "Thực hiện Quyết định số 1896/QĐ-TTg\\r\\nngày 25/12/2019 của Thủ tướng Chính phủ, "
        "UBND tỉnh xây dựng Kế hoạch:\n"
    )
    d = parse(text)
    assert (d["number"], d["symbol"], d["place"], d["issued_on"]) == ("54", "KH-UBND", "Lạng Sơn", "2020-03-27")
    assert [(r["number"], r["symbol"], r["issued_on"]) for r in d["references"]] == [("1896", "QĐ-TTg", "2019-12-25")]


def test_kinh_gui_glued_to_its_word() -> None:
    # As a legal library published Văn phòng Chính phủ's Công văn 2734/VPCP-KGVX (2010): "Kínhgửi:".
    text = HEADER + BODY.replace("Kính gửi:\n- Sở Giáo dục và Đào tạo;\n- Công an tỉnh.", "Kínhgửi: Công an tỉnh")
    assert parse(text)["recipients"] == ["Công an tỉnh"]
