"""Plainly synthetic people for the demo: names drawn from common Vietnamese name parts, ID numbers that start
with 000 (no province has that code, so no real citizen identity number does), telephone numbers of the reserved
0900 000 xxx range and addresses of "Xóm Mẫu" hamlets that do not exist."""

from __future__ import annotations

import random

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Hà", "Ma"]
FAMILY += ["Nông", "Triệu", "Lục", "Hoàng", "Đinh", "La"]  # Tày, Nùng, Sán Dìu families of Thái Nguyên
MIDDLE_F = ["Thị", "Thị Thu", "Ngọc", "Thu", "Minh", "Thanh", "Bảo", "Khánh", "Diệu"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Gia", "Thành", "Bảo", "Xuân"]
GIVEN_F = ["Hương", "Lan", "Mai", "Linh", "Ngọc", "Trang", "Thảo", "Hà", "Anh", "Hằng", "Yến", "Vy", "Chi", "My"]
GIVEN_F += ["Ngân", "Nhi", "Quỳnh", "Uyên", "Giang", "Hoa", "Thư"]
GIVEN_M = ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Khang", "Khoa", "Long", "Minh", "Nam"]
GIVEN_M += ["Phúc", "Quân", "Sơn", "Tài", "Thắng", "Tuấn", "Việt", "Vinh"]
RELATIONSHIPS = ["Mẹ", "Bố", "Bà nội", "Ông ngoại", "Cô ruột", "Bà ngoại"]
REPORTER_RELATIONSHIPS = ["Hàng xóm", "Giáo viên chủ nhiệm", "Trưởng thôn", "Nhân viên y tế", "Người thân", "Bạn học"]


def child_name(rng: random.Random, sex: str) -> str:
    family = rng.choice(FAMILY)
    if sex == "female":
        return f"{family} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"
    return f"{family} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"


def adult_name(rng: random.Random, relationship: str) -> str:
    female = relationship in {"Mẹ", "Bà nội", "Cô ruột", "Bà ngoại"}
    return child_name(rng, "female" if female else "male")


def id_number(rng: random.Random) -> str:
    """A 12-digit number of the CCCD's shape that no citizen has: the province part is 000."""
    return "000" + "".join(str(rng.randrange(10)) for _ in range(9))


def phone(rng: random.Random) -> str:
    return f"0900 000 {rng.randrange(1000):03d}"


def address(rng: random.Random, commune_name: str) -> str:
    return f"Xóm Mẫu {rng.randrange(1, 20)}, {commune_name}"
