"""The protection measures of Luật Trẻ em 2016 Arts. 48–50 (domain.md §4), by article.clause.point, with short
Vietnamese names: what a plan item's `measure_code` means. The plan form offers them grouped by level; the case page
and the printed plan show the name beside the code. A code not listed here (typed through the API) is shown as it
was typed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from cases.models.choices import ProtectionLevel

# (code, level, name). Clause 2 of each article lists the measures of its level.
MEASURES: tuple[tuple[str, str, Any], ...] = (
    ("48.2.a", ProtectionLevel.PREVENTION, _("Tuyên truyền về nguy cơ xâm hại và trách nhiệm thông báo")),
    ("48.2.b", ProtectionLevel.PREVENTION, _("Cung cấp thông tin, kỹ năng cho cha mẹ, giáo viên, người chăm sóc")),
    ("48.2.c", ProtectionLevel.PREVENTION, _("Giáo dục kỹ năng làm cha mẹ, chăm sóc trẻ em")),
    ("48.2.d", ProtectionLevel.PREVENTION, _("Giáo dục kỹ năng tự bảo vệ cho trẻ em")),
    ("48.2.đ", ProtectionLevel.PREVENTION, _("Xây dựng môi trường sống an toàn cho trẻ em")),
    ("49.2.a", ProtectionLevel.SUPPORT, _("Cảnh báo nguy cơ; tư vấn cha mẹ, giáo viên, người chăm sóc")),
    ("49.2.b", ProtectionLevel.SUPPORT, _("Tiếp nhận thông tin, đánh giá tổn hại, áp dụng biện pháp cần thiết")),
    ("49.2.c", ProtectionLevel.SUPPORT, _("Hỗ trợ trẻ em có hoàn cảnh đặc biệt")),
    ("49.2.d", ProtectionLevel.SUPPORT, _("Hỗ trợ tiếp cận chính sách trợ giúp xã hội")),
    ("50.2.a", ProtectionLevel.INTERVENTION, _("Chăm sóc y tế, trị liệu tâm lý, phục hồi thể chất và tinh thần")),
    ("50.2.b", ProtectionLevel.INTERVENTION, _("Bố trí nơi tạm trú an toàn, cách ly khỏi người, môi trường đe dọa")),
    ("50.2.c", ProtectionLevel.INTERVENTION, _("Chăm sóc thay thế tạm thời hoặc lâu dài")),
    ("50.2.d", ProtectionLevel.INTERVENTION, _("Đoàn tụ gia đình, hòa nhập trường học, cộng đồng")),
    ("50.2.đ", ProtectionLevel.INTERVENTION, _("Tư vấn, cung cấp kiến thức cho cha mẹ, gia đình")),
    ("50.2.e", ProtectionLevel.INTERVENTION, _("Tư vấn pháp luật, trợ giúp pháp lý")),
    ("50.2.g", ProtectionLevel.INTERVENTION, _("Biện pháp y tế, giáo dục khác cho trẻ em")),
    ("50.2.h", ProtectionLevel.INTERVENTION, _("Theo dõi, đánh giá sự an toàn của trẻ em")),
)
MEASURE_NAMES: dict[str, Any] = {code: name for code, _level, name in MEASURES}


def measure_label(code: str) -> str:
    """ "50.2.b – Bố trí nơi tạm trú an toàn, …"; the code alone when it is not in the list; "" for none."""
    if not code:
        return ""
    name = MEASURE_NAMES.get(code)
    return f"{code} – {name}" if name else code


def measure_choices() -> list[tuple[Any, Any]]:
    """The measures grouped by level, for a select (an empty choice first)."""
    groups: list[tuple[Any, Any]] = [("", _("— Không ghi —"))]
    for level, level_label in ProtectionLevel.choices:
        groups.append((level_label, [(code, measure_label(code)) for code, lvl, _name in MEASURES if lvl == level]))
    return groups
