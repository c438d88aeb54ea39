"""Composing a document's body from the pools: sentences without repeats,
named measures and dictionary-word sentences mixed in, paragraphs, and
sections of numbered sub-items.  Also the :class:`Document` it composes and
its target length (log-normal, by level and kind).
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass

from govsearch.corpus.fill import NUMBER_VARIANTS, number_variants
from govsearch.corpus.issuers import Issuer
from govsearch.corpus.resources import Resources
from govsearch.corpus.shape import (
    CN_NUMERALS,
    LENGTH_BASE,
    LENGTH_SIGMA,
    LEVEL_LENGTH,
    MAX_LENGTH,
    MEDIAN_LENGTH,
    MIN_LENGTH,
    SUB_NUMERALS,
    SUBTYPE_LENGTH,
)
from govsearch.corpus.templates import MEASURE_TEMPLATES, VOCAB_TEMPLATES


@dataclass
class Document:
    index: int
    issuer: Issuer
    year: int  # the year the content is about
    doc_type: str  # annual_report | other
    subtype: str  # annual | news | interpretation | plan
    title: str
    publisher: str
    publish_date: str  # ISO
    written_date: str
    lines: list[str]  # body lines (no title); headings are lines of their own
    headings: set[int]  # indexes of heading lines in ``lines``
    signature: list[str]
    measures: list[str]
    target: int


_MEASURE = number_variants(MEASURE_TEMPLATES)
_VOCAB = number_variants(VOCAB_TEMPLATES)


def target_length(rng: random.Random, level: str, kind: str, subtype: str) -> int:
    factor = LEVEL_LENGTH[level] * (0.85 if kind == "部门" else 1.0) * SUBTYPE_LENGTH.get(subtype, 1.0)
    value = math.exp(rng.gauss(math.log(MEDIAN_LENGTH * LENGTH_BASE * factor), LENGTH_SIGMA))
    return int(min(MAX_LENGTH, max(MIN_LENGTH, value)))


class Composer:
    """Builds the body of one document from the pools."""

    def __init__(self, rng: random.Random, res: Resources, issuer: Issuer, year: int) -> None:
        self.rng, self.res, self.issuer, self.year = rng, res, issuer, year
        self.draws: dict[str, list] = {}
        self.measures: list[str] = []
        self.pending_measures: list[str] = []
        self.vocab_rate = rng.uniform(0.05, 0.15)

    def sentence(self, kind: str) -> str:
        """One sentence of ``kind`` (places unfilled): a pool sentence (no repeats until
        the pool is used up), a named measure, or a dictionary-word template."""
        rng = self.rng
        r = rng.random
        if kind in ("measures", "plans") and r() < self.vocab_rate:
            template = _VOCAB[int(r() * len(_VOCAB))][int(r() * NUMBER_VARIANTS)]
            words, cum = self.res.words, self.res.word_cum
            total = cum[-1]
            while "{w}" in template:
                template = template.replace("{w}", words[bisect.bisect(cum, r() * total)], 1)
            return template
        if self.pending_measures and kind in ("measures", "plans", "news") and r() < 0.25:
            return self.measure_sentence(self.pending_measures.pop())
        variants = self.res.pools.variants.get(kind) or self.res.pools.variants["measures"]
        # A lazy Fisher-Yates shuffle: draws without replacement, O(1) each.
        state = self.draws.get(kind)
        size = len(variants)
        if state is None or state[1] >= size:
            state = self.draws[kind] = [list(range(size)), 0]
        order, k = state
        j = k + int(r() * (size - k))
        order[k], order[j] = order[j], order[k]
        state[1] = k + 1
        return variants[order[k]][int(r() * NUMBER_VARIANTS)]

    def measure_sentence(self, measure: str) -> str:
        rng = self.rng
        surface = "双随机、一公开" if measure == "双随机一公开" and rng.random() < 0.5 else measure
        template = _MEASURE[int(rng.random() * len(_MEASURE))][int(rng.random() * NUMBER_VARIANTS)]
        if surface == "双随机、一公开":
            template = template.replace("“{m}”", "{m}")
        return template.replace("{m}", surface)

    def subheading(self, kind: str) -> str:
        pool = self.res.pools.subheadings.get(kind) or self.res.pools.subheadings["measures"]
        return self.rng.choice(pool)

    def paragraph(self, kind: str, budget: int, enumerate_items: bool) -> str:
        parts: list[str] = []
        size = 0
        n = 0
        sentence, r = self.sentence, self.rng.random
        while size < budget or not parts:
            s = sentence(kind)
            if enumerate_items and n < 10 and r() < 0.7:
                s = f"{CN_NUMERALS[n]}是{s}"
                n += 1
            parts.append(s)
            size += len(s)
        return "".join(parts)

    def section_body(self, kind: str, budget: int, style: str) -> tuple[list[str], set[int]]:
        """Lines of one section: sub-items with headings, or plain paragraphs."""
        lines: list[str] = []
        heads: set[int] = set()
        rng = self.rng
        if kind in ("shortcomings", "plans", "responsibility") and (budget < 700 or rng.random() < 0.35):
            size = 0
            while size < budget or not lines:
                para = self.paragraph(kind, min(budget, rng.randint(250, 600)), enumerate_items=rng.random() < 0.6)
                lines.append(para)
                size += len(para)
            return lines, heads
        items = max(2, min(15, round(budget / rng.randint(600, 1400))))
        per_item = budget / items
        seen: set[str] = set()
        for k in range(items):
            head = self.subheading(kind)
            for _ in range(5):
                if head not in seen:
                    break
                head = self.subheading(kind)
            seen.add(head)
            numbered = f"（{SUB_NUMERALS[k]}）{head}"
            size = len(numbered)
            first = True
            while size < per_item or first:
                para = self.paragraph(kind, min(per_item, rng.randint(200, 700)), enumerate_items=rng.random() < 0.4)
                if first and style == "inline":
                    lines.append(f"{numbered}。{para}")
                elif first:
                    heads.add(len(lines))
                    lines.extend([numbered, para])
                else:
                    lines.append(para)
                first = False
                size += len(para)
        return lines, heads
