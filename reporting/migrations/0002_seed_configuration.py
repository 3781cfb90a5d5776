"""Seed the configuration an admin then edits: the two report calendars (defaults in reporting/periods.py),
the age bands, and the TT 13/2021 child-protection indicators that the case data can answer.

Indicator codes: "II.0101" is indicator 0101 of Appendix II/IV of TT 13/2021 (confirmed, domain.md §8.1). The
Appendix I "protection" indicators (children in special circumstances, and those assisted) are known by name
only, so they carry the local codes "I.3-…"; the other rows are local ("CP-…"). Admins correct codes and
wording against the circular's text.
"""

from django.db import migrations

SCHEDULES = [
    {
        "kind": "semiannual",
        "start_day": 1, "start_month": 11, "start_year_offset": -1,
        "end_day": 30, "end_month": 4, "end_year_offset": 0,
        "cutoff_day": 5, "cutoff_month": 5, "due_day": 15, "due_month": 5,
    },
    {
        "kind": "annual",
        "start_day": 1, "start_month": 11, "start_year_offset": -1,
        "end_day": 31, "end_month": 10, "end_year_offset": 0,
        "cutoff_day": 5, "cutoff_month": 11, "due_day": 15, "due_month": 11,
    },
]  # fmt: skip

AGE_BANDS = [(0, 5, "Dưới 6 tuổi"), (6, 10, "Từ 6 đến 10 tuổi"), (11, 15, "Từ 11 đến dưới 16 tuổi"), (16, 17, "Từ 16 đến dưới 18 tuổi")]

BOTH = ["semiannual", "annual"]
TT13 = "Thông tư 13/2021/TT-BLĐTBXH"
SOURCE = "Hồ sơ vụ việc bảo vệ trẻ em (hệ thống quản lý trường hợp)"

INDICATORS = [
    {
        "code": "II.0101",
        "group": "Tình hình xâm hại trẻ em (Phụ lục II)",
        "name": "Số trẻ em bị xâm hại",
        "definition": "Số trẻ em bị xâm hại trong kỳ: trẻ em bị gây tổn hại về thể chất, tình cảm, tâm lý, danh dự, "
        "nhân phẩm dưới các hình thức bạo lực, bóc lột, xâm hại tình dục, mua bán, bỏ rơi, bỏ mặc và các hình thức "
        "gây tổn hại khác (Luật Trẻ em 2016, Điều 4 khoản 5). Đếm mỗi trẻ một lần theo các vụ việc xâm hại được "
        "tiếp nhận trong kỳ.",
        "measure": "abused_children",
        "disaggregations": ["sex", "age_group", "setting", "abuse_form"],
        "reference": f"{TT13}, Phụ lục II và IV, chỉ tiêu 0101",
    },
    {
        "code": "CP-02",
        "group": "Tình hình xâm hại trẻ em (Phụ lục II)",
        "name": "Số vụ việc xâm hại trẻ em",
        "definition": "Số vụ việc trẻ em bị xâm hại được tiếp nhận trong kỳ.",
        "measure": "abuse_cases",
        "disaggregations": ["abuse_form", "area"],
        "reference": f"{TT13}, Phụ lục II (mã chỉ tiêu chưa đối chiếu với văn bản gốc)",
    },
    {
        "code": "I.3-HCDB",
        "group": "Bảo vệ trẻ em (Phụ lục I, nhóm 3)",
        "name": "Số trẻ em có hoàn cảnh đặc biệt",
        "definition": "Số trẻ em thuộc các nhóm hoàn cảnh đặc biệt quy định tại Điều 10 Luật Trẻ em 2016 có hồ sơ "
        "được tiếp nhận trong kỳ.",
        "measure": "special_children",
        "disaggregations": ["special_group", "sex", "age_group"],
        "reference": f"{TT13}, Phụ lục I, nhóm 3 (mã chỉ tiêu chưa đối chiếu với văn bản gốc)",
    },
    {
        "code": "I.3-HCDB-HT",
        "group": "Bảo vệ trẻ em (Phụ lục I, nhóm 3)",
        "name": "Số trẻ em có hoàn cảnh đặc biệt được trợ giúp",
        "definition": "Số trẻ em có hoàn cảnh đặc biệt có kế hoạch hỗ trợ, can thiệp đã được phê duyệt.",
        "measure": "special_children_supported",
        "disaggregations": ["special_group"],
        "reference": f"{TT13}, Phụ lục I, nhóm 3 (mã chỉ tiêu chưa đối chiếu với văn bản gốc)",
    },
    {
        "code": "CP-NC",
        "group": "Bảo vệ trẻ em",
        "name": "Số trẻ em có nguy cơ bị xâm hại",
        "definition": "Số trẻ em có nguy cơ bị bạo lực, bóc lột, bỏ rơi có hồ sơ được tiếp nhận trong kỳ.",
        "measure": "at_risk_children",
        "disaggregations": ["sex", "age_group"],
        "reference": "Chỉ tiêu nội bộ",
    },
    {
        "code": "CP-TNTT",
        "group": "Phòng, chống tai nạn, thương tích",
        "name": "Số trẻ em bị tai nạn, thương tích",
        "definition": "Số trẻ em bị tai nạn, thương tích (tử vong hoặc bị thương) được ghi nhận trong kỳ.",
        "measure": "accident_children",
        "disaggregations": ["accident_type", "sex", "age_group"],
        "reference": "Chỉ tiêu nội bộ",
    },
    {
        "code": "CP-TNTT-TV",
        "group": "Phòng, chống tai nạn, thương tích",
        "name": "Số trẻ em tử vong do tai nạn, thương tích",
        "definition": "Số trẻ em tử vong do đuối nước, tai nạn giao thông và các tai nạn, thương tích khác được "
        "ghi nhận trong kỳ.",
        "measure": "accident_deaths",
        "disaggregations": ["accident_type", "sex"],
        "reference": "Chỉ tiêu nội bộ",
    },
]


def seed(apps, schema_editor):
    ReportSchedule = apps.get_model("reporting", "ReportSchedule")
    AgeBand = apps.get_model("reporting", "AgeBand")
    Indicator = apps.get_model("reporting", "Indicator")
    for row in SCHEDULES:
        ReportSchedule.objects.get_or_create(kind=row["kind"], defaults=row)
    if not AgeBand.objects.exists():
        for position, (lo, hi, label) in enumerate(AGE_BANDS):
            AgeBand.objects.create(min_age=lo, max_age=hi, label=label, position=position)
    for position, row in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=row["code"], defaults={**row, "periods": BOTH, "source": SOURCE, "position": position * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
