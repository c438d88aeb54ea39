"""govsearch.corpus (scripts/make_corpus.py): deterministic synthetic pages that the cleaner reads back as the
manifest says, made of the words in govsearch/corpus/templates/."""

from __future__ import annotations

import configparser
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from govsearch.corpus import cli, driver, templates
from govsearch.corpus.shape import ANNUAL_SHARE, MAX_LENGTH, MIN_LENGTH
from govsearch.index.clean import clean_file
from govsearch.index.dedup import is_near_duplicate
from govsearch.index.normalize import fold
from govsearch.index.sections import classify

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "make_corpus.py"
N = 60
SEED = 7


def _manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus") / "out"
    # A higher mirror share than the default 2 %, so 60 pages hold several mirrors.
    paths = driver.generate(N, out, seed=SEED, dup_share=0.08)
    return out, paths, _manifest(out)


@pytest.fixture(scope="module")
def cleaned(corpus):
    out, _, rows = corpus
    return {row["file"]: clean_file(out / row["file"]) for row in rows}


def test_pages_and_manifest(corpus):
    out, paths, rows = corpus
    assert len(paths) == len(rows) == N
    assert [p.name for p in paths] == [row["file"] for row in rows]
    assert sorted(p.name for p in out.iterdir()) == sorted([*(row["file"] for row in rows), "manifest.jsonl"])
    for i, row in enumerate(rows):
        assert re.fullmatch(rf"{i:06d}_[0-9a-f]{{8}}\.(html|txt)", row["file"])
        assert row["format"] == row["file"].rsplit(".", 1)[1]
    formats = {row["format"] for row in rows}
    assert formats == {"html", "txt"}


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, monkeypatch):
    driver.generate(25, tmp_path / "a", seed=3)
    driver.generate(25, tmp_path / "b", seed=3)
    monkeypatch.setattr(driver, "CHUNK", 10)  # 25 pages in three chunks over two worker processes
    driver.generate(25, tmp_path / "parallel", seed=3, jobs=2)
    driver.generate(25, tmp_path / "c", seed=4)
    a = _files(tmp_path / "a")
    assert a == _files(tmp_path / "b") == _files(tmp_path / "parallel")
    c = _files(tmp_path / "c")
    assert set(a) != set(c)
    assert _manifest(tmp_path / "a") != _manifest(tmp_path / "c")


def test_every_page_cleans(cleaned):
    assert len(cleaned) == N
    for report in cleaned.values():
        assert report.text.strip() and report.title


def test_cleaner_agrees_with_manifest(corpus, cleaned):
    """Year, level and province of every annual report come back from the cleaner."""
    _, _, rows = corpus
    annual = [row for row in rows if row["doc_type"] == "annual_report"]
    wrong = [(row["file"], field) for row in annual for field in ("report_year", "level", "province")
             if getattr(cleaned[row["file"]], field) != row[field]]
    assert len(wrong) <= 0.05 * len(annual), wrong
    doc_type_wrong = [row["file"] for row in rows if cleaned[row["file"]].doc_type != row["doc_type"]]
    assert len(doc_type_wrong) <= 0.05 * len(rows), doc_type_wrong
    # Other documents name their province in the text even when their page does not name the publisher.
    other = [row for row in rows if row["doc_type"] == "other"]
    assert sum(cleaned[row["file"]].province == row["province"] for row in other) >= 0.9 * len(other)


def test_doc_type_share_and_mix(corpus):
    _, _, rows = corpus
    annual = sum(row["doc_type"] == "annual_report" for row in rows) / len(rows)
    assert abs(annual - ANNUAL_SHARE) <= 0.12
    assert len({row["level"] for row in rows}) >= 3
    assert len({row["province"] for row in rows}) >= 10
    assert {row["issuer_kind"] for row in rows} >= {"政府", "部门"}


def test_years_and_publish_dates(corpus):
    _, _, rows = corpus
    for row in rows:
        assert 2016 <= row["year"] <= 2025
        assert row["report_year"] == (row["year"] if row["doc_type"] == "annual_report" else None)
        year, month, _ = map(int, row["publish_date"].split("-"))
        assert year == row["year"] + 1 and 1 <= month <= 3


def test_traditional_mirrors(corpus, cleaned):
    _, _, rows = corpus
    index = {row["file"]: i for i, row in enumerate(rows)}
    mirrors = [row for row in rows if row["duplicate_of"]]
    assert len(mirrors) >= 2
    for row in mirrors:
        report = cleaned[row["file"]]
        assert report.script == "traditional" and row["script"] == "traditional"
        original = cleaned[row["duplicate_of"]]
        assert index[row["duplicate_of"]] < index[row["file"]]
        assert original.script == "simplified"
        assert is_near_duplicate(report.minhash, original.minhash), row["file"]
    assert all(cleaned[row["file"]].script == "simplified" for row in rows if not row["duplicate_of"])


def test_lengths(corpus, cleaned):
    _, _, rows = corpus
    for row in rows:
        assert MIN_LENGTH <= row["length"] <= MAX_LENGTH
        assert 0.8 * row["length"] <= len(cleaned[row["file"]].text) <= row["length"]


def test_inserted_measures_are_in_the_text(corpus, cleaned):
    _, _, rows = corpus
    assert sum(len(row["measures"]) for row in rows) >= N
    for row in rows:
        text = fold(cleaned[row["file"]].text)
        for measure in row["measures"]:
            assert fold(measure) in text, (row["file"], measure)


def test_html_pages_look_like_cms_pages(corpus):
    out, _, rows = corpus
    html = [row for row in rows if row["format"] == "html" and not row["duplicate_of"]]
    assert any(row["encoding"] == "gbk" for row in html)
    for row in html:
        data = (out / row["file"]).read_bytes()
        page = data.decode(row["encoding"])  # strict: a GBK page is GBK throughout
        declared = {"utf-8": "utf-8", "gbk": "gbk|gb2312"}[row["encoding"]]
        assert re.search(rf'charset="?(?:{declared})"', page, re.IGNORECASE), row["file"]
        for marker in ("首页", "版权所有", "网站标识码", "ICP备", "打印本页", "<h1"):
            assert marker in page, (row["file"], marker)
        assert re.search(r'class="TRS_Editor"|id="UCAP-CONTENT"|id="zoom"|class="article-content"', page)


def test_heading_variants_classify_as_their_kind():
    for kind, variants in templates.HEADINGS.items():
        for variant in variants:
            heading = variant.replace("{Y}", "2022").replace("{Y1}", "2023")
            assert classify(f"一、{heading}") == kind, heading


def test_cli_refuses_a_non_empty_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("keep me", encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), "3", str(out)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "not empty" in done.stderr and str(out) in done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.md"]
    # --force writes into it, keeping files that are not the generator's own.
    assert cli.main(["3", str(out), "--force", "--no-progress"]) == 0
    assert len(_manifest(out)) == 3 and (out / "notes.md").exists()


# ---------------------------------------------------------------- the templates are data
def test_templates_ship_as_package_data():
    """Every file of templates/ is one the generator loads, each says what it holds, and setup.cfg ships them."""
    folder = templates.TEMPLATES_DIR
    assert sorted(p.stem for p in folder.iterdir()) == sorted(templates.FILES)
    for name in templates.FILES:
        data = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert data == templates.load(name) and data["about"].strip(), name
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    assert "govsearch.corpus" in config["options"]["packages"].split()
    assert config["options.package_data"]["govsearch.corpus"].strip() == "templates/*.json"
    assert templates.load("reports")["headings"] == templates.HEADINGS


def _form(template: str, **known: str) -> re.Pattern[str]:
    """A title form of the templates as a pattern: known fields filled, the others any text."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(part) if i % 2 == 0 else re.escape(known[part]) if part in known else ".+"
                              for i, part in enumerate(parts)))


def test_titles_are_the_templates_forms(corpus):
    """Unchanged templates: each title the manifest holds is one of the data's forms for its kind of document."""
    _, _, rows = corpus
    originals = [row for row in rows if not row["duplicate_of"]]
    others = {"news": templates.NEWS, "interpretation": templates.INTERPRETATION, "plan": templates.PLAN}
    for row in originals:
        if row["subtype"] == "annual":
            forms = templates.REPORTS["titles"][row["issuer_kind"]]
            assert any(_form(f, n=row["issuer"], Y=str(row["year"])).fullmatch(row["title"]) for f in forms), row
        else:
            forms = others[row["subtype"]]["titles"]
            assert any(_form(f).fullmatch(row["title"]) for f in forms), row
    assert {row["subtype"] for row in originals} >= {"annual", "news"}


def test_an_edited_template_changes_the_pages(tmp_path, monkeypatch):
    """The generator reads the data at the time it writes: another title form and closing line show up as such."""
    monkeypatch.setitem(templates.REPORTS["titles"], "政府", ["{n}测试{Y}年度报告"])
    monkeypatch.setitem(templates.REPORTS, "closing", "此致测试。")
    out = tmp_path / "edited"
    driver.generate(20, out, seed=SEED, progress=False)
    rows = [row for row in _manifest(out) if row["subtype"] == "annual" and not row["duplicate_of"]]
    governments = [row for row in rows if row["issuer_kind"] == "政府"]
    assert governments
    assert all(row["title"] == f"{row['issuer']}测试{row['year']}年度报告" for row in governments)
    texts = [clean_file(out / row["file"]).text for row in rows]
    assert any("此致测试。" in text for text in texts)
    assert not any("特此报告。" in text for text in texts)
