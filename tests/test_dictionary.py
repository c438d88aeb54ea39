"""The measures dictionary (seeds/measures.txt) and the alias table (seeds/aliases.toml).

These are data files; the tests check their format and what they do to jieba:
each entry is kept as one word in context, and known look-alike contexts
(上述法治, 掌上办理, 多元化解决) are *not* cut into a measure.
"""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import jieba
import pytest

from govsearch.index.normalize import fold, normalize_query, normalize_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
MEASURES = SEEDS / "measures.txt"
ALIASES = SEEDS / "aliases.toml"

POS_TAGS = {"nz", "n", "l"}
# Han ideographs, Latin letters and digits only: no whitespace or punctuation.
WORD_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,20}")

jieba.setLogLevel(logging.WARNING)


def entries() -> list[tuple[str, int, str]]:
    rows = []
    for line in MEASURES.read_text(encoding="utf-8").splitlines():
        word, freq, pos = line.split(" ")
        rows.append((word, int(freq), pos))
    return rows


def words() -> list[str]:
    return [w for w, _, _ in entries()]


@pytest.fixture(scope="module")
def tok() -> jieba.Tokenizer:
    t = jieba.Tokenizer()
    t.load_userdict(str(MEASURES))
    return t


# ------------------------------------------------------------------ format
def test_file_is_plain_utf8_lines():
    raw = MEASURES.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert raw.endswith(b"\n")
    text = raw.decode("utf-8")
    assert "\r" not in text and "\t" not in text
    for n, line in enumerate(text.splitlines(), 1):
        assert line, f"line {n} is blank"
        assert not line.startswith("#"), f"line {n}: jieba's loader has no comments"
        assert len(line.split(" ")) == 3, f"line {n}: {line!r} is not 'word freq pos'"


def test_entries_are_well_formed():
    rows = entries()
    assert len(rows) >= 200
    bad = [(w, f, p) for w, f, p in rows
           if not WORD_RE.fullmatch(w) or not 0 < f <= 20000 or p not in POS_TAGS]
    assert not bad, bad
    # jieba only keeps runs of these characters together; anything else splits a word
    assert all(jieba.re_han_default.fullmatch(w) for w, _, _ in rows)


def test_no_duplicates():
    ws = words()
    dupes = sorted({w for w in ws if ws.count(w) > 1})
    assert not dupes, dupes


def test_jieba_loads_every_entry(tok):
    for word, freq, _ in entries():
        assert tok.FREQ.get(word) == freq, word


# ------------------------------------------------------------------ segmentation
TEMPLATES = [
    "我县持续推进{}工作取得成效",
    "深入推进{}，成效明显",
    "全面落实{}的要求",
    "关于{}的实施意见",
    "各地积极探索{}",
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_entries_are_one_word_in_a_sentence(tok, template):
    ws = words()
    failures = {w: "/".join(tok.cut(template.format(w), HMM=True)) for w in ws
                if w not in tok.lcut(template.format(w), HMM=True)}
    assert len(failures) <= 0.05 * len(ws), failures


def test_entries_are_one_word_in_the_default_sentence(tok):
    """In the plain sentence every entry stands alone, so none may be split."""
    failures = {w: tok.lcut(f"我县持续推进{w}工作取得成效", HMM=True) for w in words()}
    failures = {w: cut for w, cut in failures.items() if w not in cut}
    assert not failures, failures


def seed_texts() -> dict[str, str]:
    """Normalized text of each seed report (000 is traditional with pinyin glosses)."""
    return {p.name[:3]: normalize_text(p.read_text(encoding="utf-8"))[0]
            for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*.txt"))}


# Places where an entry's characters occur but the entry does not: 上述|法治.
NOT_OCCURRENCES = {"述法": ("上述", "陈述", "综述", "前述", "所述", "叙述", "概述")}


def test_entries_found_in_the_seeds_are_cut_as_words(tok):
    """Each occurrence of an entry in a seed is one token, or lies inside a longer
    entry (法治政府 in 法治政府建设), or loses only to an overlapping entry
    (出庭应诉率 after 行政机关负责人出庭应诉) - never split into ordinary words."""
    vocabulary = set(words())
    texts = seed_texts()
    assert len(texts) == 5
    found, failures = 0, []
    for name, text in texts.items():
        tokens = list(tok.tokenize(text, HMM=True))
        for word in vocabulary:
            for m in re.finditer(re.escape(word), text):
                i, j = m.span()
                if text[i - 1:i + 1] in NOT_OCCURRENCES.get(word, ()):
                    continue
                found += 1
                cover = [(t, s, e) for t, s, e in tokens if e > i and s < j]
                if [t for t, _, _ in cover] == [word]:
                    continue
                if len(cover) == 1 and cover[0][0] in vocabulary:
                    continue  # nested in a longer entry
                crossing = [t for t, s, e in cover if s < i or e > j]
                if crossing and all(t in vocabulary for t in crossing):
                    continue  # overlaps another entry
                failures.append((name, word, "/".join(t for t, _, _ in cover)))
    assert found > 300, found  # the seeds really use the vocabulary
    assert not failures, failures


# Sentences where the characters of an entry occur but the entry does not
# (checked when the frequencies were chosen; a higher frequency breaks them).
LOOK_ALIKES = [
    ("以上述法治要求为准", "述法"),
    ("如上述法律规定", "述法"),
    ("陈述法律意见", "述法"),
    ("支持掌上办理业务", "掌上办"),
    ("群众可以就近办理社保", "就近办"),
    ("通过手机指尖办理", "指尖办"),
    ("建立多元化解决机制", "多元化解"),
    ("多元化解决纠纷", "多元化解"),
    ("优化服务业发展环境", "优化服务"),
    ("马上办理", "马上办"),
    ("确保一次办成功", "一次办成"),
    ("数据安全法律法规", "数据安全法"),  # law names are left out: 法|律 would split
    ("行政许可法律依据", "行政许可法"),
]


@pytest.mark.parametrize(("sentence", "word"), LOOK_ALIKES)
def test_look_alikes_are_not_cut_into_measures(tok, sentence, word):
    assert word not in tok.lcut(sentence, HMM=True), tok.lcut(sentence, HMM=True)


def test_punctuated_spelling_is_not_needed_in_the_dictionary(tok):
    """双随机、一公开 is cut around the 、; the exact lookup handles it, not jieba."""
    assert "双随机一公开" in tok.lcut("推行双随机一公开监管方式") or \
        "双随机一公开监管" in tok.lcut("推行双随机一公开监管方式")
    assert "双随机" in tok.lcut("推行双随机、一公开监管")


# ------------------------------------------------------------------ aliases
def alias_groups() -> list[dict]:
    with ALIASES.open("rb") as fh:
        return tomllib.load(fh)["group"]


def test_alias_table_shape():
    groups = alias_groups()
    assert len(groups) >= 20
    names = [g["name"] for g in groups]
    assert len(names) == len(set(names)), "group names must be unique"
    for g in groups:
        assert set(g) <= {"name", "terms"}, g
        assert isinstance(g["name"], str) and g["name"].strip(), g
        assert isinstance(g["terms"], list) and len(g["terms"]) >= 2, g
        for term in g["terms"]:
            assert isinstance(term, str) and term.strip() == term and len(fold(term)) >= 2, (g["name"], term)


def test_alias_name_is_a_term_and_a_dictionary_entry():
    vocabulary = set(words())
    for g in alias_groups():
        assert fold(g["name"]) in {fold(t) for t in g["terms"]}, g["name"]
        assert g["name"] in vocabulary, g["name"]


def test_alias_terms_are_distinct_after_folding():
    seen: dict[str, str] = {}
    for g in alias_groups():
        folded = [fold(t) for t in g["terms"]]
        assert len(folded) == len(set(folded)), f"{g['name']}: variants differing only in punctuation"
        for f in folded:
            assert f not in seen, f"{f} is in {seen[f]} and {g['name']}"
            seen[f] = g["name"]


def test_alias_terms_are_already_normalized():
    """The loader normalizes terms (script, punctuation); written terms fold the same."""
    for g in alias_groups():
        for term in g["terms"]:
            assert fold(normalize_query(term)) == fold(term), term
