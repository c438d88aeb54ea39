"""Filling the ``⟪…⟫`` placeholders of a template sentence.

Counts (``⟪#26⟫``) and rates (``⟪%98⟫``) are rendered ahead of time in
NUMBER_VARIANTS fixed renderings, so a page only picks one; places, level
words and years (``⟪S⟫``, ``⟪uc⟫``, ``⟪y0⟫``) are filled per page with the
issuer's names.
"""

from __future__ import annotations

import random
import re

PLACEHOLDER = re.compile("⟪([^⟫]*)⟫")
NUMBER_VARIANTS = 16  # renderings of each template's counts: variant 0 keeps the seed's own numbers


def render_numbers(template: str, rng: random.Random | None) -> str:
    """Fill the count (⟪#26⟫) and percentage (⟪%98⟫) placeholders; ``rng=None`` keeps the originals."""
    if "⟪#" not in template and "⟪%" not in template:
        return template

    def repl(m: re.Match[str]) -> str:
        key = m.group(1)
        if key[0] == "#":
            return key[1:] if rng is None else _perturb(key[1:], rng)
        if key[0] == "%":
            value = float(key[1:])
            if rng is None or (value >= 100 and rng.random() < 0.7):
                return key[1:]
            # High rates (办结率 98%) stay high; low ones (纠错率 18%) move around.
            new = rng.uniform(max(85.0, value - 10), 100) if value >= 85 else min(99.0, value * rng.uniform(0.6, 1.4))
            return f"{new:.1f}".rstrip("0").rstrip(".") if "." in key else str(max(1, round(new)))
        return m.group(0)

    return PLACEHOLDER.sub(repl, template)


def number_variants(templates: list[str]) -> list[list[str]]:
    """Each template in NUMBER_VARIANTS renderings (a fixed RNG: the corpus seed picks among them)."""
    rng = random.Random("numbers")
    return [[render_numbers(t, None if v == 0 else rng) for v in range(NUMBER_VARIANTS)] for t in templates]


def _perturb(number: str, rng: random.Random) -> str:
    if "." in number:
        decimals = len(number.split(".")[1])
        return f"{float(number) * rng.uniform(0.5, 1.8):.{decimals}f}"
    value = int(number)
    if value <= 10:
        return str(rng.randint(1, 12))
    return str(max(1, round(value * rng.uniform(0.4, 2.0))))


def fill_places(text: str, names: dict[str, str], year: int) -> str:
    """Fill place, level-word and year placeholders (counts are filled already)."""
    if "⟪" not in text:
        return text
    parts = PLACEHOLDER.split(text)  # literal, key, literal, key, …
    get = names.get
    parts[1::2] = [get(key) or _fill_other(key, year) for key in parts[1::2]]
    return "".join(parts)


def _fill_other(key: str, year: int) -> str:
    if key[0] == "y":
        return str(year + int(key[1:]))
    if key[0] in "#%":  # a count in an ad-hoc string
        return key[1:]
    return ""

