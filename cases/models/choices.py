"""Controlled vocabularies of the case file (Law on Children 2016; Decree 56/2017) and the statutory numbers of
the procedure. Labels are Vietnamese. Forms, filters, serializers and reports take their choices from here."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

# A child is a person under 16 (Law on Children, Art. 1); the system records up to 17 (domain.md §3).
MAX_CHILD_AGE = 17

# --- Statutory time limits of the procedure (Decree 56/2017) ----------------------------------------------------
EMERGENCY_HOURS = 12  # NĐ56 Arts. 26(3), 31(2), 32(2): from receipt of the information
PLAN_DRAFT_WORKING_DAYS = 5  # NĐ56 Art. 28(1)
PLAN_APPROVAL_WORKING_DAYS = 2  # NĐ56 Art. 28(4)
SEPARATION_MAX_DAYS = 15  # NĐ56 Art. 32(2), unless a competent authority requires it to continue


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    UNKNOWN = "unknown", _("Chưa xác định")


class EthnicityCodeSystem(models.TextChoices):
    QD121_1979 = "QD121_1979", _("QĐ 121-TCTK/PPCĐ (1979)")
    QD1019_2008 = "QD1019_2008", _("QĐ 1019/QĐ-TCTK (2008)")


class Disability(models.TextChoices):
    NONE = "none", _("Không")
    MILD = "mild", _("Khuyết tật nhẹ")
    SEVERE = "severe", _("Khuyết tật nặng")
    ESPECIALLY_SEVERE = "especially_severe", _("Khuyết tật đặc biệt nặng")
    UNKNOWN = "unknown", _("Chưa rõ")


class CaseKind(models.TextChoices):
    ABUSE = "abuse", _("Trẻ em bị xâm hại")
    AT_RISK = "at_risk", _("Trẻ em có nguy cơ bị xâm hại")
    SPECIAL_CIRCUMSTANCE = "special_circumstance", _("Trẻ em có hoàn cảnh đặc biệt")
    ACCIDENT = "accident", _("Tai nạn, thương tích")


class AbuseForm(models.TextChoices):
    VIOLENCE = "violence", _("Bạo lực")
    EXPLOITATION = "exploitation", _("Bóc lột")
    SEXUAL_ABUSE = "sexual_abuse", _("Xâm hại tình dục")
    TRAFFICKING = "trafficking", _("Mua bán")
    ABANDONMENT = "abandonment", _("Bỏ rơi")
    NEGLECT = "neglect", _("Bỏ mặc")
    OTHER = "other", _("Hình thức gây tổn hại khác")


class AbuseSubtype(models.TextChoices):
    """Sub-types of NĐ56 Arts. 11–14, prefixed by their form."""

    SEXUAL_RAPE = "sexual_abuse.rape", _("Hiếp dâm")
    SEXUAL_FORCED = "sexual_abuse.forced_sex", _("Cưỡng dâm")
    SEXUAL_INTERCOURSE = "sexual_abuse.intercourse", _("Giao cấu")
    SEXUAL_MOLESTATION = "sexual_abuse.molestation", _("Dâm ô")
    SEXUAL_PROSTITUTION = "sexual_abuse.prostitution_pornography", _("Mại dâm, khiêu dâm")
    EXPLOIT_LABOUR = "exploitation.child_labour", _("Lao động trái pháp luật")
    EXPLOIT_PORNOGRAPHY = "exploitation.pornography", _("Biểu diễn, sản xuất sản phẩm khiêu dâm")
    EXPLOIT_SEX_TOURISM = "exploitation.sex_tourism_prostitution", _("Du lịch nhằm xâm hại tình dục, mại dâm")
    EXPLOIT_DRUGS = "exploitation.drugs_contraband", _("Sản xuất, vận chuyển ma túy, hàng cấm")
    EXPLOIT_OTHER = "exploitation.other", _("Bóc lột vì mục đích lợi nhuận khác")
    TRAFFICKED_WITH_PARENTS = "trafficking.returned_with_parents", _("Trở về, sống cùng cha mẹ")
    TRAFFICKED_ALT_CARE = "trafficking.returned_alternative_care", _("Trở về, được chăm sóc thay thế")
    VIOLENCE_SERIOUS = "violence.serious_harm", _("Bạo lực gây tổn hại nghiêm trọng (có kết luận y tế/pháp y)")


class Setting(models.TextChoices):
    """Where the abuse happened ("môi trường xâm hại", a TT 13/2021 disaggregation; list UNCONFIRMED)."""

    FAMILY = "family", _("Gia đình")
    SCHOOL = "school", _("Trường học")
    COMMUNITY = "community", _("Cộng đồng")
    ONLINE = "online", _("Môi trường mạng")
    OTHER = "other", _("Khác")


class AccidentType(models.TextChoices):
    DROWNING = "drowning", _("Đuối nước")
    TRAFFIC = "traffic", _("Tai nạn giao thông")
    OTHER_INJURY = "other_injury", _("Tai nạn, thương tích khác")


class AccidentOutcome(models.TextChoices):
    DEATH = "death", _("Tử vong")
    INJURY = "injury", _("Bị thương")


# Special-circumstance groups of Luật Trẻ em 2016 Art. 10 (letters as in the law; domain.md §3), stored by letter.
SPECIAL_GROUPS: tuple[tuple[str, Any], ...] = (
    ("a", _("a) Mồ côi cả cha và mẹ")),
    ("b", _("b) Bị bỏ rơi")),
    ("c", _("c) Không nơi nương tựa")),
    ("d", _("d) Khuyết tật")),
    ("đ", _("đ) Nhiễm HIV/AIDS")),
    ("e", _("e) Vi phạm pháp luật")),
    ("g", _("g) Nghiện ma túy")),
    ("h", _("h) Bỏ học kiếm sống chưa hoàn thành phổ cập THCS")),
    ("i", _("i) Bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực")),
    ("k", _("k) Bị bóc lột")),
    ("l", _("l) Bị xâm hại tình dục")),
    ("m", _("m) Bị mua bán")),
    ("n", _("n) Mắc bệnh hiểm nghèo/điều trị dài ngày thuộc hộ nghèo, cận nghèo")),
    ("o", _("o) Di cư, lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có người chăm sóc")),
)


class ReportChannel(models.TextChoices):
    HOTLINE_111 = "hotline_111", _("Tổng đài 111")
    PROVINCIAL_HOTLINE = "provincial_hotline", _("Đường dây nóng của tỉnh")
    WALK_IN = "walk_in", _("Trực tiếp")
    PHONE = "phone", _("Điện thoại")
    SCHOOL = "school", _("Nhà trường")
    POLICE = "police", _("Công an")
    HEALTH_FACILITY = "health_facility", _("Cơ sở y tế")
    ONLINE = "online", _("Trực tuyến")
    ANONYMOUS = "anonymous", _("Ẩn danh")


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    RECEIVED = "received", _("Đã tiếp nhận")
    INITIAL_ASSESSMENT = "initial_assessment", _("Đã đánh giá ban đầu")
    EMERGENCY = "emergency", _("Đang can thiệp khẩn cấp / tạm thời cách ly")
    DETAILED_ASSESSMENT = "detailed_assessment", _("Đã đánh giá chi tiết")
    NEEDS_MEETING = "needs_meeting", _("Đã họp xác định nhu cầu")
    PLAN_DRAFTED = "plan_drafted", _("Đã xây dựng kế hoạch, chờ phê duyệt")
    PLAN_APPROVED = "plan_approved", _("Kế hoạch đã được phê duyệt")
    IN_PROGRESS = "in_progress", _("Đang thực hiện kế hoạch")
    REVIEW = "review", _("Đã rà soát, đánh giá")
    CLOSED = "closed", _("Đã kết thúc")
    NOT_SUBSTANTIATED = "not_substantiated", _("Không có cơ sở")
    TRANSFERRED = "transferred", _("Đã chuyển xã khác")


# Statuses that end a case in this commune (closed_at is set on entering one).
FINAL_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.NOT_SUBSTANTIATED, CaseStatus.TRANSFERRED})
OPEN_STATUSES = frozenset(CaseStatus.values) - FINAL_STATUSES - {CaseStatus.DRAFT}


class ProtectionLevel(models.TextChoices):
    PREVENTION = "prevention", _("Phòng ngừa (Điều 48)")
    SUPPORT = "support", _("Hỗ trợ (Điều 49)")
    INTERVENTION = "intervention", _("Can thiệp (Điều 50)")


class DeadlineStep(models.TextChoices):
    EMERGENCY = "emergency", _("Can thiệp khẩn cấp/tạm thời cách ly (12 giờ)")
    PLAN_DRAFT = "plan_draft", _("Xây dựng kế hoạch (5 ngày làm việc)")
    PLAN_APPROVAL = "plan_approval", _("Phê duyệt kế hoạch (2 ngày làm việc)")
    SEPARATION_END = "separation_end", _("Hết thời hạn tạm thời cách ly (15 ngày)")
    POLICE_NOTIFICATION = "police_notification", _("Thông báo cơ quan công an (xâm hại tình dục)")
    REVIEW = "review", _("Rà soát, đánh giá kế hoạch")
