"""Compile zhizao/reference/data/regions.csv from the yearly 民政部 county-level code tables.

Not needed at run time: run it again when a new edition is out (see zhizao/reference/data/README.md).

    python scripts/build_regions.py AREACODES_CHECKOUT [--edition 2024] [--history-from 2010]
        [--later scripts/regions_later_changes.csv]

AREACODES_CHECKOUT is a checkout of the CC0 collection github.com/yescallop/areacodes, which holds each
edition of 中华人民共和国县以上行政区划代码 as ``data/<year>.txt`` (``code name`` per line, as of
31 December of that year) and, in ``result.csv``, every code since 1981 with the year it was first
and last listed and the codes that took over its area. From them this script writes:

- every row of the chosen edition (province, prefecture-level, county-level; 民政部's table has no
  市辖区/县 placeholder rows), with its parent: the prefecture whose code shares the first four digits
  if the edition has one, otherwise the province (municipalities' districts, 省直辖县级 units);
- every code abolished since ``--history-from`` whose code is not in use again, with ``valid_to``
  (the first edition that no longer lists it) and ``successor_code`` (the current region that took
  over its area: the single successor, or the smallest current region holding all successors);
- the changes after that edition listed in ``--later`` (each with its sources), applied on top:
  ``add`` rows become current rows from that year, ``abolish`` rows get ``valid_to`` and a successor;
- English names from ``--names-en`` (scripts/regions_names_en.csv): provinces and prefectures, and the
  districts of 青岛市 that had one before; county-level units have none yet.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "zhizao" / "reference" / "data" / "regions.csv"
FIELDS = ["code", "name", "name_en", "level", "parent_code", "valid_from", "valid_to", "successor_code"]


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "district"


def read_edition(path: Path) -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.strip():
            code, name = line.split(maxsplit=1)
            rows[code] = name.strip()
    return rows


def parent_in(code: str, present: set[str]) -> str:
    if level_of(code) == "province":
        return ""
    if level_of(code) == "district" and code[:4] + "00" in present:
        return code[:4] + "00"
    return code[:2] + "0000"


def smallest_holding(codes: set[str], current: dict[str, str]) -> str:
    """The smallest current region whose area holds every code in `codes` ("" if none)."""
    if not codes:
        return ""
    if len(codes) == 1:
        return next(iter(codes))
    for width in (4, 2):
        heads = {c[:width] for c in codes}
        candidate = next(iter(heads)).ljust(6, "0")
        if len(heads) == 1 and candidate in current:
            return candidate
    return ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areacodes", type=Path)
    parser.add_argument("--edition", default="2024")
    parser.add_argument("--history-from", type=int, default=2010)
    parser.add_argument("--later", type=Path, default=Path(__file__).with_name("regions_later_changes.csv"))
    parser.add_argument("--names-en", type=Path, default=Path(__file__).with_name("regions_names_en.csv"))
    args = parser.parse_args()

    current = read_edition(args.areacodes / "data" / f"{args.edition}.txt")
    with (args.areacodes / "result.csv").open(encoding="utf-8-sig") as handle:
        history = list(csv.DictReader(handle))
    with args.names_en.open(encoding="utf-8") as handle:
        english = {r["code"]: r["name_en"] for r in csv.DictReader(handle)}

    first_listed: dict[str, int] = {}
    for row in history:
        if row["状态"] == "在用" and row["代码"] in current:
            first_listed[row["代码"]] = int(row["启用时间"])

    # Abolished codes not in use again, the latest record of each.
    abolished: dict[str, dict[str, str]] = {}
    for row in history:
        code = row["代码"]
        if row["状态"] != "弃用" or code in current or int(row["变更/弃用时间"]) < args.history_from:
            continue
        if code not in abolished or int(row["变更/弃用时间"]) > int(abolished[code]["变更/弃用时间"]):
            abolished[code] = row

    def direct_successors(row: dict[str, str]) -> set[str]:
        parts = [p for p in row["新代码"].split(";") if p]
        at_abolition = [p for p in parts if "[" not in p]
        return {re.sub(r"\[.*\]", "", p) for p in (at_abolition or parts)}

    def current_successors(code: str, seen: frozenset[str] = frozenset()) -> set[str]:
        row = abolished.get(code)
        if row is None or code in seen:
            return {code} if code in current else set()
        found: set[str] = set()
        direct = direct_successors(row)
        if not direct:  # a prefecture or province: where its counties went
            head = code[:4] if level_of(code) == "city" else code[:2]
            direct = {
                c
                for c, r in abolished.items()
                if c != code and c.startswith(head) and r["变更/弃用时间"] == row["变更/弃用时间"]
            }
        for successor in direct:
            found |= current_successors(successor, seen | {code})
        return found

    rows: list[dict[str, str]] = []
    present = set(current) | set(abolished)
    for code, name in current.items():
        rows.append(
            {
                "code": code,
                "name": name,
                "name_en": english.get(code, ""),
                "level": level_of(code),
                "parent_code": parent_in(code, set(current)),
                "valid_from": str(first_listed.get(code, "")),
                "valid_to": "",
                "successor_code": "",
            }
        )
    for code, row in abolished.items():
        if row["二级行政区"] == "直辖" or level_of(code) != "district":
            parent = "" if level_of(code) == "province" else code[:2] + "0000"
        else:
            parent = parent_in(code, present)
        rows.append(
            {
                "code": code,
                "name": row["名称"],
                "name_en": english.get(code, ""),
                "level": level_of(code),
                "parent_code": parent,
                "valid_from": row["启用时间"],
                "valid_to": row["变更/弃用时间"],
                "successor_code": smallest_holding(current_successors(code), current),
            }
        )
    by_code = {r["code"]: r for r in rows}
    with args.later.open(encoding="utf-8") as handle:
        for change in csv.DictReader(handle):
            code = change["code"]
            if change["change"] == "add":
                by_code[code] = {
                    "code": code,
                    "name": change["name"],
                    "name_en": english.get(code, ""),
                    "level": level_of(code),
                    "parent_code": change["parent_code"],
                    "valid_from": change["year"],
                    "valid_to": "",
                    "successor_code": "",
                }
            else:
                row = by_code[code]
                if row["name"] != change["name"]:
                    raise SystemExit(f"{code} is {row['name']}, not {change['name']}")
                row["valid_to"] = change["year"]
                row["successor_code"] = change["successor_code"]
    # Abolished rows whose successor was abolished later point at the latest region.
    for row in by_code.values():
        while row["successor_code"] and by_code[row["successor_code"]]["valid_to"]:
            row["successor_code"] = by_code[row["successor_code"]]["successor_code"]
    rows = sorted(by_code.values(), key=lambda r: r["code"])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    in_use = sum(1 for r in rows if not r["valid_to"])
    sys.stderr.write(f"{len(rows)} rows ({in_use} in use, {len(rows) - in_use} abolished) -> {OUT}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
