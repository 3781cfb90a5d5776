"""manage.py load_admin_units: the shipped official units, old and new, and their succession."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from childprotect.management.commands.load_admin_units import DATA_FILE
from childprotect.models import AdministrativeUnit

CURRENT, LEGACY = "qd19_2025", "qd124_2004"
Link = AdministrativeUnit.successors.through


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_admin_units", *args, stdout=out)
    return out.getvalue()


def unit(scheme: str, kind: str, code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(scheme=scheme, kind=kind, code=code)


def snapshot() -> tuple[list[tuple[object, ...]], list[tuple[int, int]]]:
    rows = sorted(
        AdministrativeUnit.objects.values_list(
            "id",
            "scheme",
            "kind",
            "code",
            "category",
            "name",
            "full_name",
            "place_name",
            "parent_id",
            "path",
            "valid_from",
            "valid_to",
        )
    )
    links = sorted(Link.objects.values_list("from_administrativeunit_id", "to_administrativeunit_id"))
    return rows, links


@pytest.mark.django_db
def test_it_loads_the_whole_country() -> None:
    out = load()

    units = AdministrativeUnit.objects
    count = Counter(units.values_list("scheme", "kind"))
    assert count[(CURRENT, "province")] == 34
    assert count[(CURRENT, "commune")] == 3321
    assert count[(CURRENT, "district")] == 0
    assert count[(LEGACY, "province")] == 63
    assert count[(LEGACY, "district")] == 696
    assert 10_000 <= count[(LEGACY, "commune")] <= 10_100
    # MoHA/GSO figures for 1 July 2025: 2,621 xã, 687 phường, 13 đặc khu.
    categories = Counter(units.filter(scheme=CURRENT, kind="commune").values_list("category", flat=True))
    assert categories == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    assert units.filter(scheme=CURRENT, kind="commune", parent__kind="province", parent__scheme=CURRENT).count() == 3321
    assert units.current().count() == 34 + 3321
    assert not units.filter(scheme=LEGACY).exclude(valid_to="2025-07-01").exists()
    # Every legacy unit has somewhere to go.
    assert not units.filter(scheme=LEGACY, successors__isnull=True).exists()
    assert "14175 created" in out


@pytest.mark.django_db
def test_it_matches_the_official_province_codes() -> None:
    load("--province", "01", "--province", "19", "--province", "79")

    assert unit(CURRENT, "province", "01").full_name == "Thành phố Hà Nội"
    thai_nguyen = unit(CURRENT, "province", "19")
    assert (thai_nguyen.full_name, thai_nguyen.name, thai_nguyen.category, thai_nguyen.place_name) == (
        "Tỉnh Thái Nguyên",
        "Thái Nguyên",
        "tinh",
        "Thái Nguyên",
    )
    hcmc = unit(CURRENT, "province", "79")
    # Named after a person: the place name on documents is the full name (NĐ 30/2020).
    assert (hcmc.full_name, hcmc.category, hcmc.place_name) == (
        "Thành phố Hồ Chí Minh",
        "thanh_pho_tw",
        "Thành phố Hồ Chí Minh",
    )
    ward = unit(CURRENT, "commune", "05443")
    assert (ward.full_name, ward.name, ward.category, ward.place_name) == (
        "Phường Phan Đình Phùng",
        "Phan Đình Phùng",
        "phuong",
        "Phan Đình Phùng",
    )


@pytest.mark.django_db
def test_it_changes_nothing_on_a_second_run() -> None:
    load()
    before = snapshot()

    out = load()

    assert snapshot() == before
    assert "0 created, 0 updated, 14175 unchanged" in out
    assert "successor links: 0 created, 0 removed" in out


@pytest.mark.django_db
def test_it_puts_back_what_was_changed_by_hand() -> None:
    load("--province", "19")
    before = snapshot()
    ward = unit(CURRENT, "commune", "05443")
    AdministrativeUnit.objects.filter(pk=ward.pk).update(name="Sai", path="x/")
    ward.successors.add(unit(CURRENT, "commune", "01840"))  # a current unit pointing at a neighbour: not in the file

    out = load("--province", "19")

    assert "1 updated" in out
    assert "1 removed" in out
    assert snapshot() == before


@pytest.mark.django_db
def test_it_loads_one_province_and_its_predecessors() -> None:
    load("--province", "19")

    current = AdministrativeUnit.objects.filter(scheme=CURRENT)
    assert list(current.filter(kind="province").values_list("code", flat=True)) == ["19"]
    # NQ 1683/NQ-UBTVQH15: the new Thái Nguyên has 92 communes and wards.
    assert current.filter(kind="commune").count() == 92
    assert current.filter(kind="commune", parent__code="19").count() == 92
    # Old Thái Nguyên and old Bắc Kạn (NQ 202/2025/QH15), with their districts and communes.
    legacy = AdministrativeUnit.objects.filter(scheme=LEGACY)
    assert set(legacy.filter(kind="province").values_list("code", flat=True)) == {"06", "19"}
    assert legacy.filter(kind="district").count() > 10
    assert legacy.filter(kind="commune").count() > 250
    assert not legacy.filter(successors__isnull=True).exists()
    assert set(unit(LEGACY, "province", "06").successors.values_list("code", flat=True)) == {"19"}


@pytest.mark.django_db
def test_it_maps_a_legacy_commune_to_its_successors() -> None:
    load("--province", "01", "--province", "19")

    # Old Phường Trưng Vương (TP Thái Nguyên) is now part of Phường Phan Đình Phùng, which kept its code.
    old = unit(LEGACY, "commune", "05443")
    assert old.full_name == "Phường Trưng Vương"
    assert (old.parent.full_name, old.parent.parent.full_name) == ("Thành phố Thái Nguyên", "Tỉnh Thái Nguyên")
    assert [u.full_name for u in old.successors.all()] == ["Phường Phan Đình Phùng"]
    assert old.valid_to.isoformat() == "2025-07-01"
    assert "Phường Trưng Vương" in {u.full_name for u in unit(CURRENT, "commune", "05443").predecessors.all()}
    # Old Phường Điện Biên (Ba Đình, Hà Nội) was split among four new wards.
    split = unit(LEGACY, "commune", "00019")
    assert split.full_name == "Phường Điện Biên"
    assert set(split.successors.values_list("full_name", flat=True)) == {
        "Phường Ba Đình",
        "Phường Hoàn Kiếm",
        "Phường Văn Miếu - Quốc Tử Giám",
        "Phường Ô Chợ Dừa",
    }
    # Districts lead to provinces.
    district = unit(LEGACY, "district", "001")
    assert (district.full_name, district.category) == ("Quận Ba Đình", "quan")
    assert list(district.successors.values_list("full_name", flat=True)) == ["Thành phố Hà Nội"]


@pytest.mark.django_db
def test_it_keeps_paths_prefix_consistent() -> None:
    load()

    units = AdministrativeUnit.objects.select_related("parent")
    assert not units.filter(parent__isnull=False).exclude(path__startswith=F("parent__path")).exists()
    assert all(u.path == u.compute_path() for u in units)
    for province in units.filter(kind="province"):
        inside = units.within(province)
        assert (
            inside.filter(kind="commune").count()
            == units.filter(kind="commune").filter(path__startswith=province.path).count()
        )
        assert not inside.exclude(scheme=province.scheme).exists()
    assert unit(CURRENT, "commune", "05443").path == "19/05443/"
    assert unit(LEGACY, "commune", "05443").path == "old19/old164/old05443/"


@pytest.mark.django_db
def test_it_completes_a_partial_load() -> None:
    load("--province", "19")
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as fh:
        links_in_file = len(json.load(fh)["successors"])

    out = load()

    assert " 0 updated" in out
    assert Link.objects.count() == links_in_file


@pytest.mark.django_db
def test_it_rejects_an_unknown_province() -> None:
    with pytest.raises(CommandError, match="99"):
        load("--province", "99")
    assert not AdministrativeUnit.objects.exists()
