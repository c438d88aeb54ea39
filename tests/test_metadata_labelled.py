"""The cleaner's metadata on real report texts labelled by hand (tests/data/metadata).

The floors are what scripts/eval_metadata.py measured when the rules
landed; a change that loses accuracy on any field fails here, and the
script prints every miss.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

import opencc
import pytest

from govsearch.config import PROJECT_ROOT
from govsearch.index.clean import clean_file
from scripts.eval_metadata import FIELDS, evaluate, load

# Share of labelled items each field gets right (scripts/eval_metadata.py, 244 items): the acceptance.
FLOORS = {"report_year": 0.97, "doc_type": 0.95, "level": 0.95, "issuer_kind": 0.95, "province": 0.90}
LEVELS = {"国家级", "省级", "市级", "县级", "乡镇级"}
RESERVED = PROJECT_ROOT.parent / "shared" / "reserved" / "sources.sha1"


@pytest.fixture(scope="module")
def items():
    return load()


@pytest.fixture(scope="module")
def result(items):
    return evaluate(items)


def source_key(url: str) -> str:
    """The key ../shared/reserved/README.md hashes: no scheme, host lower-cased, no trailing slash."""
    if url.startswith("github:"):
        return url.split("@", 1)[0]
    rest = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", url.strip())
    host, _, path = rest.partition("/")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")


def test_the_labelled_set_is_real_varied_and_sourced(items):
    assert len(items) >= 100
    kinds = Counter(i.labels["kind"] for i in items)
    assert kinds["negative"] >= 20 and kinds["gov_info_report"] >= 20 and kinds["work_report"] >= 10
    assert len({i.labels["province"] for i in items if i.labels["province"]}) >= 20
    assert {i.labels["level"] for i in items} >= LEVELS
    years = {i.labels["report_year"] for i in items if i.labels["report_year"]}
    assert min(years) <= 2015 and max(years) >= 2024
    assert sum(not i.labels["title_at_top"] for i in items) >= 30
    reserved = set(RESERVED.read_text().split())
    for item in items:
        assert item.path.is_file(), item.path
        digest = hashlib.sha1(source_key(item.labels["source"]).encode("utf-8")).hexdigest()
        assert digest == item.labels["source_key_sha1"], item.labels["file"]
        assert digest not in reserved, item.labels["file"]
    assert len({i.labels["source"] for i in items}) == len(items)


@pytest.mark.parametrize("field", FIELDS)
def test_accuracy_holds_its_floor(result, field):
    row = result["accuracy"][field]
    misses = json.dumps(result["misses"].get(field, [])[:10], ensure_ascii=False, indent=1)
    assert row["share"] >= FLOORS[field], f"{field}: {row['right']}/{row['of']}\n{misses}"


def test_every_inferred_field_says_where_it_came_from(items):
    for item in items:
        report = clean_file(item.path)
        if report.doc_type != "annual_report":
            continue
        assert report.evidence["doc_type"]["rule"], item.labels["file"]
        if report.report_year is not None:
            why = report.evidence["report_year"]
            assert why["rule"] and (str(report.report_year) in why["text"] or "N-1" in why["rule"]
                                    or "发布日期" in why["rule"] or "回顾" in why["rule"]), (item.labels["file"], why)
        for name in ("level", "issuer_kind", "province"):
            if getattr(report, name):
                assert report.evidence.get(name, {}).get("rule"), (item.labels["file"], name)


def _variant(text: str) -> str:
    """The same text as a traditional-script mirror with ASCII punctuation."""
    traditional = opencc.OpenCC("s2t").convert(text)
    return traditional.translate(str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"}))


def test_traditional_script_and_ascii_punctuation_give_the_same_fields(items, tmp_path):
    fields = ("report_year", "doc_type", "level", "issuer_kind", "province")
    checked = 0
    for item in items:
        if item.path.suffix != ".txt" or "trad" in item.path.name:
            continue
        clean = clean_file(item.path)
        mirror = tmp_path / item.path.name
        mirror.write_text(_variant(item.path.read_text(encoding="utf-8")), encoding="utf-8")
        converted = clean_file(mirror)
        assert [getattr(converted, f) for f in fields] == [getattr(clean, f) for f in fields], item.labels["file"]
        checked += 1
    assert checked >= 50


def test_the_api_shows_the_evidence(tmp_path, items):
    from govsearch.index.build import ingest
    from govsearch.webui import create_app

    folder = tmp_path / "set"
    folder.mkdir()
    for item in items[:20]:
        (folder / item.path.name).write_bytes(item.path.read_bytes())
    ingest([folder], tmp_path / "ix")
    client = create_app(tmp_path / "ix", TESTING=True).test_client()
    hits = client.get("/api/search", query_string={"q": "年度", "per_page": 50}).get_json()["hits"]
    records = [client.get(f"/api/reports/{h['id']}").get_json() for h in hits]
    annual = [r for r in records if r["doc_type"] == "annual_report" and r["report_year"]]
    assert annual and all(r["evidence"]["report_year"]["rule"] for r in annual)
