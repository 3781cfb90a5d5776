"""The two real directives in samples/ (copied from /work/shared/samples/directives so a clean clone works)."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from directives.importer import parse_directive

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "directives"
NAMES = ["binh-dinh-UBND-VX-2024-draft.txt", "thai-nguyen-5310-UBND-KGVX-2023.txt"]


def read_sample(name: str) -> str:
    return (HERE / "samples" / name).read_text(encoding="utf-8")


def lead_names(task: dict) -> list[str]:
    return [item["name"] for item in task["lead"]]


@pytest.mark.parametrize("name", NAMES)
def test_it_keeps_the_local_copies_in_step_with_the_shared_samples(name: str) -> None:
    if not (SHARED / name).exists():
        pytest.skip("no /work/shared checkout here")
    assert (SHARED / name).read_text(encoding="utf-8") == read_sample(name)


def test_it_imports_the_thai_nguyen_cong_van() -> None:
    parsed = parse_directive(read_sample("thai-nguyen-5310-UBND-KGVX-2023.txt"))
    d = parsed.to_dict()
    assert d["doc_type"] == "công văn"
    assert (d["number"], d["symbol"]) == ("5310", "UBND-KGVX")
    assert d["issuer"] == "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"
    assert d["place"] == "Thái Nguyên"
    assert parsed.issued_on == datetime.date(2023, 10, 10)
    assert d["issued_on"] == "2023-10-10"
    assert d["subject"] == "tăng cường thực hiện công tác chăm sóc, giáo dục và bảo vệ trẻ em trên địa bàn tỉnh"
    assert d["recipients"] == ["Các sở, ban, ngành của tỉnh", "UBND các huyện, thành phố"]
    assert d["signer"]["name"] == "Lê Quang Tiến"  # not the drafter code "Pvk.CV72.LĐ"
    # The pasted text lost the signer's title: left empty, with a warning.
    assert d["signer"]["title"] is None and d["signer"]["authority"] is None
    assert any("chức vụ" in w for w in d["warnings"])
    assert d["references"] == [
        {
            "doc_type": "công văn",
            "number": "1740",
            "symbol": "CV/TU",
            "issued_on": "2023-07-14",
            "text": "Công văn số 1740-CV/TU ngày 14/7/2023 về việc tăng cường công tác chăm sóc, giáo dục và bảo vệ "
            "trẻ em trên địa bàn tỉnh",
        }
    ]
    tasks = d["tasks"]
    assert [t["label"] for t in tasks] == ["1", "2", "3", "4", "5"]
    assert [lead_names(t) for t in tasks] == [
        ["Các sở, ban, ngành, địa phương trên địa bàn tỉnh"],
        ["Sở Giáo dục và Đào tạo"],
        ["Công an tỉnh"],
        ["Sở Lao động - Thương binh và Xã hội"],
        ["UBND các huyện, thành phố"],
    ]
    coordinating_4 = [c["name"] for c in tasks[3]["coordinating"]]
    assert coordinating_4 == ["các sở, ban, ngành, địa phương", "Công an tỉnh", "Sở Giáo dục và Đào tạo", "Sở Y tế"]
    assert tasks[2]["text"].startswith("- Chỉ đạo, triển khai thực hiện hiệu quả kế hoạch đấu tranh")
    assert "Pvk" not in tasks[4]["text"] and "Căn cứ chỉ đạo" not in tasks[4]["text"]
    assert tasks[1]["deadline"] == {"kind": "continuous"}  # "Thường xuyên rà soát số trẻ em…"
    assert all(item["agency"] is None for t in tasks for item in t["lead"])  # no directory given


def test_it_imports_the_binh_dinh_draft_and_leaves_its_blanks_empty() -> None:
    d = parse_directive(read_sample("binh-dinh-UBND-VX-2024-draft.txt")).to_dict()
    assert d["doc_type"] == "công văn"
    assert d["number"] is None  # "Số: /UBND-VX"
    assert d["symbol"] == "UBND-VX"
    assert d["issued_on"] is None  # "ngày tháng năm 2024"
    assert "Không tìm thấy số văn bản (văn bản dự thảo?)" in d["warnings"]
    assert "Không tìm thấy ngày ban hành (văn bản dự thảo?)" in d["warnings"]
    assert d["place"] == "Bình Định"
    assert d["issuer"] == "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH"
    assert d["subject"] == "triển khai công tác trẻ em trên địa bàn tỉnh năm 2024"
    assert d["recipients"] == ["Các Sở, ban, ngành, hội, đoàn thể tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"]
    assert d["signer"] == {"name": "Lâm Hải Giang", "title": "PHÓ CHỦ TỊCH", "authority": "KT. CHỦ TỊCH"}
    assert [(r["doc_type"], r["number"], r["symbol"], r["issued_on"]) for r in d["references"]] == [
        ("công văn", "793", "LĐTBXH-TE", "2024-02-29")
    ]  # the Tờ trình is the proposal, not a directive being implemented
    numbered = [t for t in d["tasks"] if t["label"]]
    assert [t["label"] for t in numbered] == [str(n) for n in range(1, 11)]
    addressees = ["các sở, ban, ngành, hội, đoàn thể tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố"]
    by_label = {t["label"]: t for t in numbered}
    for label in ("1", "2", "3", "5", "6", "9", "10"):
        assert lead_names(by_label[label]) == addressees, label
    for label in ("4", "7", "8"):
        assert lead_names(by_label[label]) == ["Sở Lao động - Thương binh và Xã hội"], label
    assert [c["name"] for c in by_label["7"]["coordinating"]] == ["Sở Tài chính", "các cơ quan liên quan"]
    # Both "phối hợp với" lists of the item: the second one was lost before.
    assert [c["name"] for c in by_label["8"]["coordinating"]] == [
        "Mặt trận tổ quốc Việt Nam tỉnh",
        "các đơn vị liên quan",
    ]
    # Page breaks inside a paragraph are joined; markdown emphasis is gone.
    assert "xây dựng mô hình kết nghĩa giữa các xã đặc biệt khó khăn thuộc vùng" in by_label["3"]["text"]
    assert "**" not in by_label["5"]["text"]
    assert "15/5/2024" not in by_label["10"]["text"]
    # The unnumbered reporting paragraph sets the deadlines: kept as its own task.
    reporting = [t for t in d["tasks"] if not t["label"]]
    assert len(reporting) == 1
    assert lead_names(reporting[0]) == ["Các cơ quan, đơn vị, địa phương"]
    assert reporting[0]["deadline"] == {"kind": "recurring", "frequency": "semiannual", "day": 15, "month": 5}


def test_it_reads_the_shared_copies_too() -> None:
    for name in NAMES:
        path = SHARED / name if (SHARED / name).exists() else HERE / "samples" / name
        d = parse_directive(path.read_text(encoding="utf-8")).to_dict()
        assert d["symbol"] and d["tasks"] and d["signer"]["name"]
