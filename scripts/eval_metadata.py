#!/usr/bin/env python
"""Per-field accuracy of the cleaner's metadata on the labelled real texts.

    python scripts/eval_metadata.py                 # table and every miss
    python scripts/eval_metadata.py --json out.json # the same as JSON (tests read it)

The labelled set is four parts, a-d, each a ``labels.jsonl`` (one object a
line: ``file``, ``source``, the labels ``report_year``, ``doc_type``, ``level``,
``issuer_kind``, ``province``, ``issuer``, and ``kind``) beside its texts.  The
official reports among them ship with govsearch as part of the bundled corpus
(``index/data/reports/<part>/``, where each part's README says how it was
collected); the negatives, which are no reports, stay in
``tests/data/metadata/<part>/``.  One text, one copy: a part is read from both.  A field is scored on the items whose
label is given: ``report_year`` and ``doc_type`` on every item (a negative's
year is null, and a year on it is a miss), ``level``, ``issuer_kind`` and
``province`` where the label is not null.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govsearch.index.bundled import REPORTS_DIR

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Where the labelled parts live: the bundled reports, and the negatives kept for tests.
LABELLED = (REPORTS_DIR, PROJECT_ROOT / "tests" / "data" / "metadata")
# Fields scored on every item (null is a label) and where a label is given.
ALWAYS = ("report_year", "doc_type")
WHERE_GIVEN = ("level", "issuer_kind", "province")
FIELDS = ALWAYS + WHERE_GIVEN


@dataclass
class Item:
    path: Path
    labels: dict[str, Any]


def load(roots: Sequence[Path] = LABELLED) -> list[Item]:
    """Every labelled item under ``roots``, part by part (a, b, …), each
    part's rows in root and line order."""
    files = sorted((labels.parent.name, n, labels) for n, root in enumerate(roots)
                   for labels in root.glob("*/labels.jsonl"))
    items = []
    for *_, labels in files:
        for line in labels.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                items.append(Item(labels.parent / row["file"], row))
    return items


def labelled_file(name: str, roots: Sequence[Path] = LABELLED) -> Path:
    """A labelled text by its part and file name (``a/….txt``), wherever of ``roots`` it is."""
    found = [root / name for root in roots if (root / name).is_file()]
    if not found:
        raise FileNotFoundError(f"no labelled text {name} under {', '.join(map(str, roots))}")
    return found[0]


def scored(item: Item, field: str) -> bool:
    return field in ALWAYS or item.labels.get(field) is not None


def evaluate(items: list[Item]) -> dict[str, Any]:
    """Accuracy per field, and every miss with what was expected and found."""
    from govsearch.index.clean import CleanError, clean_file
    from govsearch.index.decode import DecodeError

    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        try:
            found = clean_file(item.path).to_dict()
        except (CleanError, DecodeError) as exc:
            found = {"error": str(exc)}
        for field in FIELDS:
            if not scored(item, field):
                continue
            expected, got = item.labels.get(field), found.get(field) or None
            total[field] += 1
            if expected == got:
                right[field] += 1
            else:
                where = f"{item.path.parent.name}/{item.path.name}"
                misses[field].append({"file": where, "kind": item.labels.get("kind"),
                                      "expected": expected, "found": got, "title": found.get("title", ""),
                                      "error": found.get("error")})
    accuracy = {f: {"right": right[f], "of": total[f], "share": round(right[f] / total[f], 4) if total[f] else None}
                for f in FIELDS}
    return {"items": len(items), "accuracy": accuracy, "misses": dict(misses),
            "kinds": dict(Counter(i.labels.get("kind") for i in items))}


def render(result: dict[str, Any]) -> str:
    lines = [f"{result['items']} labelled items: " + ", ".join(f"{k} {v}" for k, v in sorted(result["kinds"].items())),
             "", f"{'field':<12} {'right':>6} {'of':>5} {'accuracy':>9}"]
    for field, row in result["accuracy"].items():
        share = "—" if row["share"] is None else f"{100 * row['share']:.1f}%"
        lines.append(f"{field:<12} {row['right']:>6} {row['of']:>5} {share:>9}")
    for field, rows in result["misses"].items():
        lines += ["", f"misses: {field} ({len(rows)})"]
        lines += [f"  {m['file']} [{m['kind']}]: expected {m['expected']!r}, found {m['found']!r}"
                  + (f" — {m['error']}" if m["error"] else f" — title {m['title'][:40]!r}") for m in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", metavar="FILE", type=Path, help="also write the result as JSON")
    parser.add_argument("--root", type=Path, action="append",
                        help="a folder of labelled parts (*/labels.jsonl), repeatable (default: index/data/reports "
                             "and tests/data/metadata)")
    args = parser.parse_args(argv)
    roots = args.root or LABELLED
    items = load(roots)
    if not items:
        print(f"eval_metadata: no labelled items under {', '.join(map(str, roots))}", file=sys.stderr)
        return 1
    result = evaluate(items)
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
