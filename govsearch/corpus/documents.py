"""Documents: an annual report (title naming the issuer and year, salutation,
preamble, sections 一、二、三、(四、) of the four kinds, signature and date) or
another document (a news feature, a 政策解读, an 实施方案/工作要点), each a
pure function of (seed, index), filled to its target length.

The words come from ``templates/reports.json`` and
``templates/other_documents.json``; the order of the random draws is what
keeps a corpus byte-identical for a seed.
"""

from __future__ import annotations

import bisect
import random

from govsearch.corpus.compose import Composer, Document, target_length
from govsearch.corpus.fill import fill_places
from govsearch.corpus.issuers import Issuer, make_issuer
from govsearch.corpus.pools import SENTENCE
from govsearch.corpus.resources import Resources
from govsearch.corpus.shape import ANNUAL_SHARE, CN_NUMERALS, FIRST_YEAR, LAST_YEAR, MAX_LENGTH, MIN_LENGTH
from govsearch.corpus.templates import HEADINGS, INTERPRETATION, NEWS, PLAN, PREAMBLES, REPORTS

# (title, body lines, indexes of heading lines, signature lines, publisher)
Body = tuple[str, list[str], set[int], list[str], str]


def _dates(rng: random.Random, year: int) -> tuple[str, str]:
    """(written, published) in Jan-Mar of the next year."""
    month = rng.randint(1, 3)
    day = rng.randint(1, 28)
    written_day = max(1, day - rng.randint(0, 7))
    y = year + 1
    return f"{y}-{month:02d}-{written_day:02d}", f"{y}-{month:02d}-{day:02d}"


def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


def annual_title(rng: random.Random, issuer: Issuer, year: int) -> str:
    """An annual report's title in one of the forms its issuer's kind uses."""
    forms = REPORTS["titles"][issuer.kind]
    return rng.choice(forms).format(n=issuer.name, g=issuer.gov, p=issuer.place, Y=year)


def make_document(index: int, seed: int, res: Resources) -> Document:
    """The content of page ``index``: a pure function of (seed, index)."""
    rng = random.Random(f"{seed}/{index}")
    annual = rng.random() < ANNUAL_SHARE
    subtype = "annual" if annual else rng.choices(["news", "interpretation", "plan"], weights=[0.5, 0.25, 0.25])[0]
    issuer = make_issuer(rng, res)
    # News come from a government or a department; interpretations and plans from the government.
    while not annual and (issuer.kind == "党委" or (subtype != "news" and issuer.kind != "政府")):
        issuer = make_issuer(rng, res, level=issuer.level)
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    target = target_length(rng, issuer.level, issuer.kind, subtype)
    written, published = _dates(rng, year)
    comp = Composer(rng, res, issuer, year)
    count = min(8, 1 + int(rng.expovariate(1 / 2.2)) + target // 12000)
    picks = [res.measures[bisect.bisect(res.measure_cum, rng.random() * res.measure_cum[-1])] for _ in range(count)]
    comp.pending_measures = list(dict.fromkeys(picks))
    comp.measures = list(comp.pending_measures)
    build = _annual_body if annual else BODIES[subtype]
    title, lines, heads, signature, publisher = build(rng, comp, issuer, year, target, written)
    # Measures that found no slot go into the last paragraph of the body.
    leftover = comp.pending_measures
    if leftover:
        extra = "".join(comp.measure_sentence(m) for m in leftover)
        last = max((i for i in range(len(lines)) if i not in heads), default=0)
        lines[last] += extra
    lines = fill_places("\n".join(lines), issuer.names, year).split("\n")
    lines = _fit(lines, heads, title, signature)
    _ensure_min(comp, lines, heads, title, signature)
    return Document(index=index, issuer=issuer, year=year, doc_type="annual_report" if annual else "other",
                    subtype=subtype, title=title, publisher=publisher, publish_date=published, written_date=written,
                    lines=lines, headings=heads, signature=signature, measures=comp.measures, target=target)


def _fit(lines: list[str], heads: set[int], title: str, signature: list[str]) -> list[str]:
    """Trim a body that overshot MAX_LENGTH (sentence by sentence from the longest paragraph)."""
    def total() -> int:
        return len(title) + 1 + sum(len(x) + 1 for x in lines) + sum(len(x) + 1 for x in signature)

    excess = total() - MAX_LENGTH
    while excess > 0:
        i = max((j for j in range(len(lines)) if j not in heads), key=lambda j: len(lines[j]))
        sentences = SENTENCE.findall(lines[i])
        if len(sentences) <= 1:
            break
        cut = len(sentences[-1])
        lines[i] = lines[i][:-cut]
        excess -= cut
    return lines


def _ensure_min(comp: Composer, lines: list[str], heads: set[int], title: str, signature: list[str]) -> None:
    """Lengthen a body that came out under MIN_LENGTH (placeholders fill shorter than they read)."""
    size = len(title) + 1 + sum(len(x) + 1 for x in lines) + sum(len(x) + 1 for x in signature)
    last = max((i for i in range(len(lines)) if i not in heads), default=len(lines) - 1)
    while size < MIN_LENGTH + 20:
        extra = fill_places(comp.sentence("measures"), comp.issuer.names, comp.year)
        lines[last] += extra
        size += len(extra)


def _annual_body(rng: random.Random, comp: Composer, issuer: Issuer, year: int, target: int, written: str) -> Body:
    title = annual_title(rng, issuer, year)
    fmt = {"Y": str(year), "Y1": str(year + 1), "I": _self_reference(rng, issuer),
           "plan": "（2015—2020年）" if year <= 2020 else "（2021—2025年）"}
    lines = _opening(rng, comp, issuer, fmt)
    heads: set[int] = set()
    if year <= 2019:
        order = ["measures", "shortcomings", "plans"] if rng.random() < 0.75 else ["measures", "responsibility",
                                                                                   "shortcomings", "plans"]
    else:
        order = rng.choice([["measures", "responsibility", "shortcomings", "plans"],
                            ["responsibility", "measures", "shortcomings", "plans"],
                            ["measures", "shortcomings", "plans"]])
    share = {"measures": 0.66, "responsibility": 0.09, "shortcomings": 0.09, "plans": 0.16}
    fixed = len(title) + sum(len(x) for x in lines) + 60
    budget = max(400, target - fixed)
    caps = {"responsibility": 3500, "shortcomings": 2500, "plans": 5000}
    budgets = {k: min(caps.get(k, 10**9), budget * share[k]) for k in order}
    spare = budget - sum(budgets.values())
    budgets["measures"] += max(0, spare)
    style = "inline" if rng.random() < 0.35 else "own"
    for number, kind in enumerate(order):
        heads.add(len(lines))
        heading = _format(rng.choice(HEADINGS[kind]), fmt)
        lines.append(f"{CN_NUMERALS[number]}、{heading}")
        if kind == "plans" and rng.random() < 0.5:
            lines.append(REPORTS["plans_opening"].format(I=fmt["I"]) + comp.sentence("plans"))
        body, body_heads = comp.section_body(kind, int(max(150, budgets[kind] - len(heading))), style)
        heads.update(len(lines) + i for i in body_heads)
        lines.extend(body)
    signature = []
    if rng.random() < 0.6:
        signature.append(REPORTS["closing"])
    signature += [issuer.name, _cn_date(written)]
    publisher = issuer.name if issuer.kind != "党委" or rng.random() < 0.5 else issuer.gov
    return title, lines, heads, signature, publisher


def _opening(rng: random.Random, comp: Composer, issuer: Issuer, fmt: dict[str, str]) -> list[str]:
    """An annual report's salutation (most of the time) and preamble."""
    lines: list[str] = []
    salutations = REPORTS["salutations"]
    if rng.random() < 0.7:
        if issuer.kind == "部门":
            lines.append(salutations["部门"].format(gov=issuer.gov))
        elif issuer.level == "省级":
            lines.append(salutations["省级"])
        else:
            lines.append(rng.choice(salutations["other"]).format_map(issuer.names))
    pool = comp.res.pools.preambles
    if rng.random() < 0.35 and pool:
        preamble = rng.choice(pool) + _format(rng.choice(PREAMBLES).split("。")[-1], fmt)
    else:
        preamble = _format(rng.choice(PREAMBLES), fmt)
    lines.append(preamble)
    return lines


def _self_reference(rng: random.Random, issuer: Issuer) -> str:
    forms = REPORTS["self_references"]["部门" if issuer.kind == "部门" else "other"]
    return rng.choice(forms).format(name=issuer.name, place=issuer.place, gov=issuer.gov, u=issuer.names["u"])


def _format(template: str, fmt: dict[str, str]) -> str:
    for key, value in fmt.items():
        template = template.replace("{" + key + "}", value)
    return template


def _news_body(rng: random.Random, comp: Composer, issuer: Issuer, year: int, target: int, written: str) -> Body:
    place = issuer.place
    title = rng.choice(NEWS["titles"]).format(P=place, slogan=rng.choice(NEWS["slogans"]), cn=rng.choice(CN_NUMERALS))
    lines = [NEWS["opening"].format(place=place)]
    heads: set[int] = set()
    size = len(lines[0])
    while size < target - len(title):
        head = comp.subheading("news")
        heads.add(len(lines))
        lines.append(head)
        para = comp.paragraph("news", rng.randint(300, 900), enumerate_items=False)
        lines.append(para)
        size += len(head) + len(para)
    signature = [NEWS["credits"][0 if rng.random() < 0.5 else 1].format(place=place)]
    return title, lines, heads, signature, issuer.name


def _interpretation_body(rng: random.Random, comp: Composer, issuer: Issuer, year: int, target: int,
                         written: str) -> Body:
    doc = rng.choice(INTERPRETATION["documents"]).format(place=issuer.place, year=year)
    title = rng.choice(INTERPRETATION["titles"]).format(doc=doc)
    lines = [INTERPRETATION["opening"].format(gov=issuer.gov, doc=doc)]
    heads: set[int] = set()
    parts = INTERPRETATION["parts"]
    for k, (head, kind) in enumerate(parts):
        heads.add(len(lines))
        lines.append(f"{CN_NUMERALS[k]}、{head}")
        lines.append(comp.paragraph(kind, max(200, (target - 200) // len(parts)), enumerate_items=kind == "plans"))
    return title, lines, heads, [], issuer.name


def _plan_body(rng: random.Random, comp: Composer, issuer: Issuer, year: int, target: int, written: str) -> Body:
    doc_title = rng.choice(PLAN["documents"]).format(place=issuer.place, year=year)
    title = rng.choice(PLAN["titles"]).format(gov=issuer.gov, doc=doc_title)
    lines = [PLAN["opening"].format(place=issuer.place)]
    heads: set[int] = set()
    aims, tasks, support = PLAN["sections"]
    heads.add(len(lines))
    lines.append(aims)
    lines.append(comp.paragraph("plans", 300, enumerate_items=False))
    heads.add(len(lines))
    lines.append(tasks)
    body, body_heads = comp.section_body("plans", max(300, target - 900), "own")
    heads.update(len(lines) + i for i in body_heads)
    lines.extend(body)
    heads.add(len(lines))
    lines.append(support)
    lines.append(comp.paragraph("responsibility", 300, enumerate_items=True))
    return title, lines, heads, [issuer.gov, _cn_date(written)], issuer.gov


BODIES = {"news": _news_body, "interpretation": _interpretation_body, "plan": _plan_body}


def plain_text(doc: Document) -> str:
    """The document as text: title, body, signature - what ``length`` counts."""
    return "\n".join([doc.title, *doc.lines, *doc.signature])
