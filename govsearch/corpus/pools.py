"""The seeds as pools: their sentences and sub-headings by section kind, with
their own places, level words, years and counts turned into placeholders.

Each bundled seed report is cleaned with :func:`govsearch.index.clean.clean_file`
and split by its sections (measures, responsibility, shortcomings, plans,
preamble; the news seed feeds measures and news).  A seed listed in
``templates/seeds.json`` names its places there; any other seed gets them from
what the cleaner resolved.  The pools grow with ``templates/reports.json``'s
extra sentences and sub-headings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from govsearch.corpus.fill import PLACEHOLDER, number_variants
from govsearch.corpus.templates import EXTRA_SENTENCES, SEED_PLACES, SUBHEADINGS
from govsearch.index.bundled import SEEDS_DIR
from govsearch.index.clean import clean_file

# Characters before a unit character that make it part of another word (社区, 乡镇, 市区).
_UNIT_NEG = "社园辖城街景矿郊片小乡山市营治"
_UNIT_AFTER = ("党政|政府|人民政府|人民法院|直|本级|长|内|领导|人大|政协|财政|管委|纪委|党校|综治|调委会|级|属|情"
               "|法院|检察院|司法局")
_NEWS_ONLY = re.compile(r"刊发|纪实|系列宣传|先进典型|命名|入围|供稿|这些成绩")
SENTENCE = re.compile(r"[^。！？]*[。！？]+[”’」』）]?|[^。！？]+$")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|[①②③④⑤⑥⑦⑧⑨⑩]|[（(]?\d{1,2}[)）.、]|首先，|其次，|此外，|另外，)")
_INNER_ORDINAL = re.compile(r"([；;，,：:])[一二三四五六七八九十]+是")
_SUBITEM = re.compile(r"^[（(]?[一二三四五六七八九十]{1,3}[)）]\s*|^[)）]\s*")


@dataclass
class Pools:
    """Sentences and sub-headings by kind, with placeholders."""

    sentences: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    variants: dict[str, list[list[str]]] = field(default_factory=dict)  # sentences with their counts rendered
    subheadings: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    preambles: list[str] = field(default_factory=list)


def _unit_patterns(unit: str, committee: str, plain: str) -> list[tuple[re.Pattern[str], str]]:
    """Level words of a seed (县委, 全县, 县政府 …) → placeholders."""
    u = re.escape(unit)
    return [
        (re.compile(rf"(?<![{_UNIT_NEG}]){u}党?委(?!员)"), f"⟪{committee}⟫"),
        (re.compile(rf"(?<=[我全本副治]){u}(?!党?委(?!员))"), f"⟪{plain}⟫"),  # 全县, 依法治区委员会
        (re.compile(rf"(?<![{_UNIT_NEG}]){u}(?={_UNIT_AFTER})"), f"⟪{plain}⟫"),
    ]


# A seed's counts (26 件, 98 %) and years (2022 年, not a range) become placeholders.
_NUMBER = re.compile(
    r"(?<![\d.〔\-—])(\d+(?:\.\d+)?)(?=\s*(?:余|多)?\s*(?:件次|人次|场次|批次|件|个|次|人|家|项|户|份|场|起|万|亿|条|名|批|期"
    r"|支|篇|处|元|天|小时|所|套|台|辆|宗|单|亩|公里|册|%))")
_YEAR = re.compile(r"(?<![\d〔\-—～~至])(20\d{2})(?=\s*年)(?!\s*年\s*[\-—～~至])")


def templatize(text: str, info: dict) -> str:
    """A seed sentence with its places, level words, years and counts as placeholders."""
    names = info.get("names", {})
    if names:
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        text = re.sub(alternation, lambda m: f"⟪{names[m.group(0)]}⟫", text)
    pieces = PLACEHOLDER.split(text)  # keep existing placeholders intact
    for i in range(0, len(pieces), 2):
        piece = pieces[i]
        if info.get("unit"):
            for pattern, repl in _unit_patterns(info["unit"], "uc", "u"):
                piece = pattern.sub(repl, piece)
        if info.get("punit") and info.get("punit") != info.get("unit"):
            sub_pieces = PLACEHOLDER.split(piece)
            for j in range(0, len(sub_pieces), 2):
                for pattern, repl in _unit_patterns(info["punit"], "puc", "pu"):
                    sub_pieces[j] = pattern.sub(repl, sub_pieces[j])
            piece = "".join(f"⟪{s}⟫" if j % 2 else s for j, s in enumerate(sub_pieces))
        if info.get("year"):
            piece = _YEAR.sub(partial(_year_placeholder, info["year"]), piece)
        pieces[i] = _NUMBER.sub(_number_placeholder, piece)
    return "".join(f"⟪{s}⟫" if i % 2 else s for i, s in enumerate(pieces))


def _year_placeholder(seed_year: int, m: re.Match[str]) -> str:
    """A year near the seed's report year becomes relative: ⟪y0⟫ is the report year, ⟪y1⟫ the next."""
    delta = int(m.group(1)) - seed_year
    return f"⟪y{delta}⟫" if -3 <= delta <= 1 else m.group(0)


def _number_placeholder(m: re.Match[str]) -> str:
    percent = m.string[m.end() : m.end() + 1] == "%"
    return f"⟪{'%' if percent else '#'}{m.group(1)}⟫"


def _sentences(paragraph: str) -> list[str]:
    out = []
    for s in SENTENCE.findall(paragraph):
        s = _ORDINAL.sub("", s.strip()).strip("；;，, ")
        s = _INNER_ORDINAL.sub(r"\1", s)  # …倒置；三是执法人员… loses its 三是 out of its list
        if not s.endswith(("。", "！", "？", "”", "）")) and len(s) < 30:
            continue  # a heading or a caption, not a sentence
        if len(s) >= 12 and not s.endswith("：") and "如下" not in s:
            out.append(s if s.endswith(("。", "！", "？", "”", "）")) else s + "。")
    return out


def _split_subitem(line: str) -> tuple[str, str]:
    """A sub-item line → (heading, rest): (一)加强组织领导 or an inline (一)压实职责。正文…"""
    body = _SUBITEM.sub("", line, count=1)
    if len(body) <= 40 and "。" not in body[:-1]:
        return body.rstrip("。；"), ""
    head, sep, rest = body.partition("。")
    if sep and len(head) <= 40:
        return head, rest
    return "", body


def seed_files() -> list[Path]:
    """The bundled seed reports (000_….txt …), not the dictionary or the docs."""
    return sorted(p for p in SEEDS_DIR.iterdir()
                  if p.name[:1].isdigit() and p.suffix.lower() in (".txt", ".html", ".htm"))


def _seed_info(report) -> dict:
    """Placeholders for a seed not in SEED_PLACES, from what the cleaner resolved."""
    names = {name: role for name, role in ((report.county, "S"), (report.city, "P"), (report.province, "V")) if name}
    if not report.county and report.city:
        names = {report.city: "S", **({report.province: "V"} if report.province else {})}
    self_name = report.county or report.city
    unit = next((u for u in ("县", "区", "旗", "市") if self_name.endswith(u)), "")
    return {"year": report.report_year or md_year(report.publish_date), "unit": unit, "names": names,
            "news": report.doc_type != "annual_report"}


def md_year(publish_date: str) -> int | None:
    m = re.match(r"(\d{4})", publish_date or "")
    return int(m.group(1)) if m else None


def build_pools() -> Pools:
    pools = Pools()
    for path in seed_files():
        report = clean_file(path)
        info = SEED_PLACES.get(path.name[:3]) or _seed_info(report)
        text = report.text
        starts = [(s.start, s.end, s.kind) for s in report.sections]
        offset = 0
        for line in text.split("\n"):
            kind = "news" if info.get("news") else "preamble"
            heading_line = False
            for start, end, section_kind in starts:
                if start <= offset <= end:
                    kind = section_kind
                    heading_line = offset == start
            offset += len(line) + 1
            if heading_line or kind == "other":
                continue
            if kind == "preamble":
                pools.preambles.extend(templatize(s, info) for s in _sentences(line) if len(s) > 30)
                continue
            if _SUBITEM.match(line):
                head, line = _split_subitem(line)
                if 6 <= len(head) <= 40:
                    pools.subheadings[kind].append(templatize(head, info))
            for s in _sentences(line):
                t = templatize(s, info)
                pools.sentences[kind].append(t)
                if kind == "news" and not _NEWS_ONLY.search(t):
                    pools.sentences["measures"].append(t)
    for kind, extra in EXTRA_SENTENCES.items():
        pools.sentences[kind].extend(extra)
    for kind, extra in SUBHEADINGS.items():
        pools.subheadings[kind].extend(extra)
    for key in list(pools.sentences):
        pools.sentences[key] = list(dict.fromkeys(pools.sentences[key]))
    for key in list(pools.subheadings):
        pools.subheadings[key] = list(dict.fromkeys(pools.subheadings[key]))
    pools.preambles = list(dict.fromkeys(pools.preambles))
    pools.variants = {kind: number_variants(sentences) for kind, sentences in pools.sentences.items()}
    return pools
