"""Seed the working-day calendar with Vietnam's public holidays 2024–2027 (Labour Code 2019 Art. 112).

Where the dates come from: generated offline with the PyPI package `holidays` (0.109, `holidays.Vietnam`, whose
references are the Labour Code and the Government's yearly announcements: Công văn 2450/VPCP-KGVX (2024, 29/4
off, Saturday 4/5 worked), Thông báo 6150/TB-BLĐTBXH (Tết 2025), the 2025 swap of 2/5 with Saturday 26/4, the 2026
swap of 31/8 with Saturday 22/8; Ngày Văn hóa Việt Nam 24/11 from 2026). The make-up working Saturdays were added
by hand from the same announcements. The dates are literal here: nothing imports `holidays` at run time.

- Tết Nguyên đán: the official days off for public servants (weekend days inside the break are listed too; they
  change nothing). 2027 is not announced yet: those rows are marked "(dự kiến)" and follow the usual pattern.
- Giỗ Tổ Hùng Vương (10/3 âm lịch), 30/4, 1/5, Quốc khánh 2/9 and the day next to it; days off in lieu ("nghỉ bù")
  when a holiday falls on a weekend.
- Not included: any Tết Dương lịch 2026 swap (not confirmed when this was written).

Admins correct these and add later years in the admin (Lịch ngày nghỉ, làm bù); deadlines read the table.
"""

from django.db import migrations

DAYS = [
    ("2024-01-01", "holiday", "Tết Dương lịch"),
    ("2024-02-08", "holiday", "29 Tết"),
    ("2024-02-09", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2024-02-10", "holiday", "Tết Nguyên Đán"),
    ("2024-02-11", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2024-02-12", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2024-02-13", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2024-02-14", "holiday", "Mùng năm Tết Nguyên Đán"),
    ("2024-04-18", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2024-04-29", "holiday", "Ngày nghỉ (thay cho ngày 04/05/2024)"),
    ("2024-04-30", "holiday", "Ngày Chiến thắng"),
    ("2024-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2024-05-04", "working", "Làm bù cho ngày nghỉ 29/04/2024"),
    ("2024-09-02", "holiday", "Quốc khánh"),
    ("2024-09-03", "holiday", "Quốc khánh"),
    ("2025-01-01", "holiday", "Tết Dương lịch"),
    ("2025-01-27", "holiday", "29 Tết"),
    ("2025-01-28", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2025-01-29", "holiday", "Tết Nguyên Đán"),
    ("2025-01-30", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2025-01-31", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2025-02-01", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2025-04-07", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2025-04-26", "working", "Làm bù cho ngày nghỉ 02/05/2025"),
    ("2025-04-30", "holiday", "Ngày Chiến thắng"),
    ("2025-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2025-05-02", "holiday", "Ngày nghỉ (thay cho ngày 26/04/2025)"),
    ("2025-09-01", "holiday", "Quốc khánh"),
    ("2025-09-02", "holiday", "Quốc khánh"),
    ("2026-01-01", "holiday", "Tết Dương lịch"),
    ("2026-02-16", "holiday", "Giao thừa Tết Nguyên Đán"),
    ("2026-02-17", "holiday", "Tết Nguyên Đán"),
    ("2026-02-18", "holiday", "Mùng hai Tết Nguyên Đán"),
    ("2026-02-19", "holiday", "Mùng ba Tết Nguyên Đán"),
    ("2026-02-20", "holiday", "Mùng bốn Tết Nguyên Đán"),
    ("2026-04-26", "holiday", "Ngày Giỗ Tổ Hùng Vương"),
    ("2026-04-27", "holiday", "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
    ("2026-04-30", "holiday", "Ngày Chiến thắng"),
    ("2026-05-01", "holiday", "Ngày Quốc tế Lao động"),
    ("2026-08-22", "working", "Làm bù cho ngày nghỉ 31/08/2026"),
    ("2026-08-31", "holiday", "Ngày nghỉ (thay cho ngày 22/08/2026)"),
    ("2026-09-01", "holiday", "Quốc khánh"),
    ("2026-09-02", "holiday", "Quốc khánh"),
    ("2026-11-24", "holiday", "Ngày Văn hóa Việt Nam"),
    ("2027-01-01", "holiday", "Tết Dương lịch (dự kiến)"),
    ("2027-02-04", "holiday", "29 Tết (dự kiến)"),
    ("2027-02-05", "holiday", "Giao thừa Tết Nguyên Đán (dự kiến)"),
    ("2027-02-06", "holiday", "Tết Nguyên Đán (dự kiến)"),
    ("2027-02-07", "holiday", "Mùng hai Tết Nguyên Đán (dự kiến)"),
    ("2027-02-08", "holiday", "Mùng ba Tết Nguyên Đán (dự kiến)"),
    ("2027-02-09", "holiday", "Mùng bốn Tết Nguyên Đán (dự kiến)"),
    ("2027-02-10", "holiday", "Mùng năm Tết Nguyên Đán (dự kiến)"),
    ("2027-04-16", "holiday", "Ngày Giỗ Tổ Hùng Vương (dự kiến)"),
    ("2027-04-30", "holiday", "Ngày Chiến thắng (dự kiến)"),
    ("2027-05-01", "holiday", "Ngày Quốc tế Lao động (dự kiến)"),
    ("2027-05-03", "holiday", "Ngày Quốc tế Lao động (nghỉ bù) (dự kiến)"),
    ("2027-09-02", "holiday", "Quốc khánh (dự kiến)"),
    ("2027-09-03", "holiday", "Quốc khánh (dự kiến)"),
    ("2027-11-24", "holiday", "Ngày Văn hóa Việt Nam (dự kiến)"),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("cases", "CalendarDay")
    for day, kind, name in DAYS:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": kind, "name": name})


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("cases", "CalendarDay")
    CalendarDay.objects.filter(date__in=[day for day, _kind, _name in DAYS]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
