"""The 54 ethnic groups of Việt Nam as data, coded by QĐ 121-TCTK/PPCĐ (2 March 1979) — domain.md §11.2.

The list health insurance and the MoH exchange data in. Codes 01–09 are confirmed against the decision;
positions 10–54 follow the ordering found in public code and are UNCONFIRMED against the official text.
The later QĐ 1019/QĐ-TCTK (2008) orders several groups differently (04–06 and others): a code is only
meaningful together with its code system, which is stored beside it.
"""

from __future__ import annotations

QD121_CODE_SYSTEM = "QD121_1979"
KINH_CODE = "01"  # Kinh (Việt) is 01 in both QĐ 121/1979 and QĐ 1019/2008

ETHNIC_GROUPS_QD121: tuple[tuple[str, str], ...] = (
    ("01", "Kinh (Việt)"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khơ-me"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "HMông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Ra Glai"),
    ("21", "M'Nông"),
    ("22", "X'Tiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Giẻ Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cờ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Rơ Măm"),
    ("53", "Brâu"),
    ("54", "Ơ Đu"),
)

ETHNICITY_NAMES_QD121: dict[str, str] = dict(ETHNIC_GROUPS_QD121)

assert len(ETHNIC_GROUPS_QD121) == 54


def ethnicity_name(code: str, code_system: str = QD121_CODE_SYSTEM) -> str:
    """The group's name for a QĐ 121 code ("" when unknown or coded in another system)."""
    if code_system != QD121_CODE_SYSTEM:
        return ""
    return ETHNICITY_NAMES_QD121.get(code, "")
