"""Documents of the genre written for these tests (samples/written/): a kế hoạch, a chỉ thị, a Party công văn, a
quyết định that issues a kế hoạch."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from directives.importer import parse_directive
from directives.importer.matching import match_agency
from directives.importer.normalise import normalise
from tests.directives.pdf_artefacts import converted_from_pdf

WRITTEN = Path(__file__).resolve().parent / "samples" / "written"


def parse(name: str, agencies=None) -> dict:
    return parse_directive((WRITTEN / name).read_text(encoding="utf-8"), agencies).to_dict()


def names(items: list[dict]) -> list[str]:
    return [item["name"] for item in items]


def test_it_parses_a_ke_hoach_with_roman_sections() -> None:
    directory = [
        SimpleNamespace(code="SYT-20", name="Sở Y tế tỉnh Lạng Sơn", short_name=""),
        SimpleNamespace(code="SGD-20", name="Sở Giáo dục và Đào tạo tỉnh Lạng Sơn", short_name=""),
        SimpleNamespace(code="CA-20", name="Công an tỉnh Lạng Sơn", short_name=""),
    ]
    d = parse("ke-hoach-lang-son.txt", directory)
    assert (d["doc_type"], d["number"], d["symbol"]) == ("kế hoạch", "45", "KH-UBND")
    assert (d["place"], d["issued_on"]) == ("Lạng Sơn", "2025-03-05")
    assert d["subject"] == "Triển khai công tác bảo vệ trẻ em trên địa bàn tỉnh năm 2025"
    assert d["recipients"] == []  # a kế hoạch has no Kính gửi, and that is not a warning
    assert d["warnings"] == []
    assert [(r["doc_type"], r["number"], r["symbol"]) for r in d["references"]] == [
        ("chỉ thị", "28", "CT/TW"),
        ("quyết định", "1183", "QĐ-TTg"),  # symbols keep their case
    ]
    assert d["signer"] == {
        "name": "Đoàn Thu Hà",
        "title": "PHÓ CHỦ TỊCH",
        "authority": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
    }
    tasks = d["tasks"]  # only section IV (aims, targets and funding assign nothing)
    assert [t["label"] for t in tasks] == ["IV.1", "IV.2", "IV.3", "IV.4"]
    assert [names(t["lead"]) for t in tasks] == [
        ["Sở Y tế"],
        ["Công an tỉnh"],
        ["Sở Giáo dục và Đào tạo"],
        ["UBND các huyện, thành phố"],
    ]
    assert tasks[0]["lead"] == [{"name": "Sở Y tế", "agency": "SYT-20"}]
    assert tasks[0]["coordinating"] == [
        {"name": "Sở GD&ĐT", "agency": "SGD-20"},
        {"name": "Công an tỉnh", "agency": "CA-20"},
    ]
    assert tasks[0]["deadline"] == {"kind": "recurring", "frequency": "quarterly"}
    assert tasks[1]["deadline"] == {"kind": "date", "date": "2025-11-15"}
    assert "a) Điều tra, xử lý nghiêm" in tasks[1]["text"]
    assert tasks[2]["deadline"] == {"kind": "date", "date": "2025-09-30"}
    assert tasks[3]["deadline"] == {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5}
    assert "Trên đây là Kế hoạch" not in tasks[3]["text"]


def test_it_parses_a_chi_thi_pasted_row_by_row() -> None:
    d = parse("chi-thi-quang-tri.txt")
    assert (d["doc_type"], d["number"], d["symbol"]) == ("chỉ thị", "07", "CT-UBND")
    assert d["issuer"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ"
    assert (d["place"], d["issued_on"]) == ("Quảng Trị", "2024-06-12")
    assert d["subject"] == "Về tăng cường phòng, chống đuối nước trẻ em trong dịp hè"
    assert d["signer"] == {"name": "Võ Văn Hưng", "title": "CHỦ TỊCH", "authority": None}
    assert d["references"] == []
    assert "Không tìm thấy văn bản được thực hiện, căn cứ (Thực hiện/Căn cứ …)" in d["warnings"]
    tasks = d["tasks"]
    assert [names(t["lead"]) for t in tasks] == [
        ["Sở Lao động - Thương binh và Xã hội"],  # en dash in the paste, unified
        ["Sở Giáo dục và Đào tạo"],
        ["Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "các tổ chức chính trị - xã hội"],
        ["Ủy ban nhân dân các huyện, thị xã, thành phố"],
    ]
    assert names(tasks[0]["coordinating"]) == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Giáo dục và Đào tạo"]
    assert tasks[0]["deadline"] == {"kind": "date", "date": "2024-08-31"}
    assert tasks[3]["deadline"] == {"kind": "recurring", "frequency": "monthly", "day": 25}


def test_it_parses_a_party_cong_van_with_odd_spacing() -> None:
    d = parse("cong-van-tinh-uy.txt")
    assert (d["doc_type"], d["number"], d["symbol"]) == ("công văn", "1902", "CV/TU")
    assert d["issuer"] == "TỈNH ỦY THÁI NGUYÊN"
    assert (d["place"], d["issued_on"]) == ("Thái Nguyên", "2024-08-02")
    assert d["subject"] == "lãnh đạo, chỉ đạo thực hiện Chỉ thị số 28-CT/TW của Ban Bí thư"
    assert d["recipients"] == ["Ban cán sự đảng Ủy ban nhân dân tỉnh", "Các huyện ủy, thành ủy trực thuộc Tỉnh ủy"]
    assert d["signer"] == {
        "name": "Nguyễn Thanh Bình",
        "title": "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "authority": "TM. BAN THƯỜNG VỤ",
    }
    assert [(r["number"], r["symbol"], r["issued_on"]) for r in d["references"]] == [("28", "CT/TW", "2023-12-25")]
    tasks = d["tasks"]
    assert [names(t["lead"]) for t in tasks] == [
        ["Ban cán sự đảng Ủy ban nhân dân tỉnh"],
        ["Ban Tuyên giáo Tỉnh ủy"],
        ["Các huyện ủy, thành ủy"],
    ]
    assert names(tasks[0]["coordinating"]) == ["Ban Tuyên giáo Tỉnh ủy"]
    assert tasks[0]["deadline"] == {"kind": "date", "date": "2024-09-30"}
    assert tasks[1]["deadline"] == {"kind": "recurring", "frequency": "annual", "day": 10, "month": 12}
    assert tasks[2]["text"].startswith("quán triệt Chỉ thị đến chi bộ")
    assert tasks[2]["deadline"] == {"kind": "continuous"}


QUYET_DINH_TASKS = [
    # (label, lead, coordinating, deadline): Điều 1 decides, Điều 3 names who abides by the decision; neither is a
    # task. Then the attached kế hoạch: section II assigns, I (aims) and III (funding) do not.
    ("Điều 2", ["Sở Lao động - Thương binh và Xã hội"], ["Sở Tài chính"], {"kind": "date", "date": "2025-12-15"}),
    ("II.1", ["Sở Lao động - Thương binh và Xã hội"], [],
     {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 6}),
    ("II.2", ["Sở Giáo dục và Đào tạo"], ["Sở Văn hóa, Thể thao và Du lịch"], {"kind": "date", "date": "2025-08-31"}),
    ("II.3", ["Công an tỉnh"], ["Ủy ban nhân dân các huyện, thành phố, thị xã"], {"kind": "continuous"}),
    ("II.4", ["Ủy ban nhân dân các huyện, thành phố, thị xã"], [], {"kind": "date", "date": "2025-11-30"}),
]  # fmt: skip


def test_it_reads_the_tasks_of_a_quyet_dinh_from_its_articles_and_its_attached_plan() -> None:
    text = (WRITTEN / "quyet-dinh-ha-tinh.txt").read_text(encoding="utf-8")
    for variant in (text, converted_from_pdf(text)):
        d = parse_directive(variant).to_dict()
        assert (d["doc_type"], d["number"], d["symbol"], d["issued_on"]) == (
            "quyết định", "1520", "QĐ-UBND", "2025-05-20",
        )  # fmt: skip
        assert d["issuer"] == "ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
        # The decision's signature, not the attachment's letterhead.
        assert d["signer"] == {
            "name": "Trần Thị Hoa",
            "title": "PHÓ CHỦ TỊCH",
            "authority": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
        }
        assert [(r["number"], r["symbol"]) for r in d["references"]] == [("1248", "QĐ-TTg")]  # not the Tờ trình
        assert [
            (t["label"], names(t["lead"]), names(t["coordinating"]), t["deadline"]) for t in d["tasks"]
        ] == QUYET_DINH_TASKS
        assert d["warnings"] == []


def test_a_quyet_dinh_without_its_attachment_gives_only_the_article_that_assigns() -> None:
    text = (WRITTEN / "quyet-dinh-ha-tinh.txt").read_text(encoding="utf-8")
    decision_only = text[: text.index("Trần Thị Hoa") + len("Trần Thị Hoa")]
    d = parse_directive(decision_only).to_dict()
    assert [t["label"] for t in d["tasks"]] == ["Điều 2"]
    assert "Chánh Văn phòng" not in " ".join(t["text"] for t in d["tasks"])


INLINE_PROGRAMME = """ỦY BAN NHÂN DÂN
TỈNH BẾN TRE
Số: 1591/QĐ-UBND
Bến Tre, ngày 09 tháng 9 năm 2013
QUYẾT ĐỊNH
PHÊ DUYỆT CHƯƠNG TRÌNH HÀNH ĐỘNG VÌ TRẺ EM
ỦY BAN NHÂN DÂN TỈNH
Căn cứ Quyết định số 1555/QĐ-TTg ngày 17 tháng 10 năm 2012 của Thủ tướng Chính phủ;
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Chương trình hành động vì trẻ em tỉnh, với các nội dung như sau:
1. Mục tiêu của Chương trình:
a) Mục tiêu tổng quát: Xây dựng môi trường sống an toàn.
2. Kinh phí thực hiện: ngân sách tỉnh.
3. Tổ chức thực hiện:
a) Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với Sở Y tế hướng dẫn thực hiện; báo cáo hằng năm \
trước ngày 15/12.
b) Sở Giáo dục và Đào tạo: chỉ đạo các trường dạy kỹ năng sống, hoàn thành trước ngày 30/6/2014.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở chịu trách nhiệm thi hành Quyết định này./.
"""


def test_a_programme_set_out_inside_the_deciding_article_gives_the_tasks_of_its_organising_section() -> None:
    d = parse_directive(INLINE_PROGRAMME).to_dict()
    assert [(t["label"], names(t["lead"]), names(t["coordinating"]), t["deadline"]) for t in d["tasks"]] == [
        ("3.a", ["Sở Lao động - Thương binh và Xã hội"], ["Sở Y tế"],
         {"kind": "recurring", "frequency": "annual", "day": 15, "month": 12}),
        ("3.b", ["Sở Giáo dục và Đào tạo"], [], {"kind": "date", "date": "2014-06-30"}),
    ]  # fmt: skip


def test_it_invents_nothing_for_text_that_is_not_a_directive() -> None:
    d = parse_directive("Xin chào, đây là một đoạn văn bất kỳ không có cấu trúc văn bản.").to_dict()
    assert d["number"] is None and d["symbol"] is None and d["issued_on"] is None and d["issuer"] is None
    assert d["tasks"] == [] and d["recipients"] == [] and d["references"] == []
    assert d["signer"] == {"name": None, "title": None, "authority": None}
    assert "Không tìm thấy số văn bản (văn bản dự thảo?)" in d["warnings"]
    assert any("nhiệm vụ" in w for w in d["warnings"])


def test_it_normalises_markdown_spacing_and_dashes() -> None:
    assert (
        normalise("# **KT. CHỦ TỊCH**\n\n\n\nSố: *5310*/UBND\u2013VX\u00a0\u00a0x")
        == "KT. CHỦ TỊCH\n\nSố: 5310/UBND-VX x"
    )


def test_it_matches_agencies_by_abbreviation_and_refuses_ambiguity() -> None:
    directory = [
        SimpleNamespace(code="LD", name="Sở Lao động - Thương binh và Xã hội tỉnh Thái Nguyên", short_name=""),
        SimpleNamespace(code="UB", name="Ủy ban nhân dân tỉnh Thái Nguyên", short_name=""),
        SimpleNamespace(code="CA", name="Công an tỉnh Thái Nguyên", short_name=""),
    ]
    assert match_agency("Sở LĐTBXH", directory) == "LD"
    assert match_agency("sở lao động thương binh và xã hội", directory) == "LD"
    assert match_agency("UBND tỉnh", directory) == "UB"
    assert match_agency("CA tỉnh", directory) == "CA"
    assert match_agency("các sở, ban, ngành", directory) is None
    assert match_agency("Sở Y tế", directory) is None
    twins = [*directory, SimpleNamespace(code="CA2", name="Công an tỉnh Thái Nguyên", short_name="")]
    assert match_agency("Công an tỉnh", twins) is None
