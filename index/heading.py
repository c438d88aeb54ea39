"""Extraction stage 7: the page's heading.

The best h1/h2/title-like element near the body (not a site logo), else
``<title>`` without its site-name part.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from govsearch.index.extraction_settings import HEADING_BEFORE, PORTAL_NAME, SITE_NAME, SUBSTANTIAL
from govsearch.index.labels import is_metadata_line
from govsearch.index.segment import SPACES, Block, Line, Page

# Separators between an article title and the site name in <title>.
_TITLE_SPLIT = re.compile(r"\s*(?:[_|｜]+|\s[-–—]{1,2}\s|[-–—]{1,2}(?=[^-–—]{2,24}$))\s*")


# ---------------------------------------------------------------- 7. heading
def _bigrams(text: str) -> set[str]:
    text = re.sub(r"\s+", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _similarity(candidate: str, references: tuple[str, ...]) -> float:
    """Bigram F1 of the candidate against the closest reference title (0-1)."""
    grams = _bigrams(candidate)
    best = 0.0
    for reference in references:
        ref = _bigrams(reference)
        common = len(grams & ref)
        if common:
            best = max(best, 2 * common / (len(grams) + len(ref)))
    return best


def split_title(title: str, site_names: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """Split a <title> into the article title and the site-name parts.

    ``某县2023年度报告_某某县人民政府`` → (``某县2023年度报告``, (``某某县人民政府``,)).
    """
    title = SPACES.sub(" ", title).strip()
    parts = [p.strip() for p in _TITLE_SPLIT.split(title) if p and p.strip()]
    if len(parts) <= 1:
        squeezed = title.replace(" ", "")
        if squeezed in site_names or PORTAL_NAME.search(squeezed):
            return "", (squeezed,)  # the title is the site's name
        return title, ()

    def site_like(part: str) -> bool:
        squeezed = part.replace(" ", "")
        if any(name and (squeezed == name or squeezed in name) for name in site_names):
            return True
        return len(squeezed) <= 20 and bool(SITE_NAME.search(squeezed))

    rest = [p for p in parts if not site_like(p)]
    if not rest:  # 首页 - 某某县人民政府: no article title at all
        return "", tuple(p.replace(" ", "") for p in parts)
    main = max(rest, key=len)
    return main, tuple(p.replace(" ", "") for p in parts if p != main)


def strip_site_name(title: str, site_names: tuple[str, ...] = ()) -> str:
    """``某县2023年度报告_某某县人民政府`` → ``某县2023年度报告``."""
    return split_title(title, site_names)[0]


def _site_names(page: Page) -> tuple[str, ...]:
    names = [page.meta.get(k, "") for k in ("sitename", "og:site_name", "site_name", "application-name")]
    return tuple(n.replace(" ", "") for n in names if n)


def _heading_score(line: Line, text: str, references: tuple[str, ...], sites: tuple[str, ...]) -> float:
    """How much a heading or title-classed line (``text`` may join it with the next) looks like the title."""
    score = {1: 3.0, 2: 2.5, 3: 1.5}.get(line.heading, 1.0) if line.heading else 0.0
    if line.title_like:
        score += 1.5
    similarity = _similarity(text, references)
    score += 4.0 * similarity
    squeezed = text.replace(" ", "")
    if any(squeezed in site for site in sites) or (similarity < 0.5 and SITE_NAME.search(squeezed)):
        score -= 4.0  # the site's name: a logo, not the article
    if line.chrome:
        score -= 1.5
    if line.link_density > 0.5:
        score -= 1.0
    return score


def _heading_candidates(page: Page, lo: int, hi: int) -> Iterator[tuple[int, str]]:
    """Heading or title-classed lines, alone and joined with the next one or two (a title set on two lines)."""
    for i in range(lo, hi):
        line = page.lines[i]
        if not (line.heading or line.title_like) or line.boilerplate or line.chars > 150:
            continue
        text = line.text
        if line.chars >= 4 and not text.endswith(("：", ":")) and not is_metadata_line(line.text):
            yield i, text
        for j in range(i + 1, min(i + 3, hi)):
            nxt = page.lines[j]
            if (nxt.heading, nxt.title_like) != (line.heading, line.title_like) or nxt.boilerplate:
                break
            if is_metadata_line(nxt.text):
                break
            text += nxt.text
            yield i, text


def choose_heading(page: Page, content: Block | None) -> str:
    """The main heading: a heading or title-classed line just above or atop the body, else <title>."""
    names = _site_names(page)
    title, site_parts = split_title(page.title, names) if page.title else ("", ())
    sites = names + site_parts
    og_title = split_title(page.meta.get("og:title", ""), sites)[0]
    article_title = page.meta.get("articletitle", "")
    references = tuple(x for x in (title, article_title, og_title) if x)
    start = _first_body_line(page, content) if content else len(page.lines)
    end = content.end if content else len(page.lines)
    best, best_score = "", 0.0
    for i, text in _heading_candidates(page, max(0, start - HEADING_BEFORE), min(len(page.lines), start + 2)):
        score = _heading_score(page.lines[i], text, references, sites) - 0.05 * max(0, start - i)
        if 0 <= start - i <= 5:
            score += 1.0  # right above the body
        if i >= end:
            score -= 2.0
        if score > best_score:
            best, best_score = text, score
    if best and best_score >= 3.0:
        return best
    if article_title and len(article_title) >= 4:
        return article_title
    return title or og_title or best


def _first_body_line(page: Page, content: Block) -> int:
    """The first line of the content node with real text (skips a title, date, toolbar)."""
    for i in range(content.start, content.end):
        line = page.lines[i]
        if line.raw_weight >= SUBSTANTIAL and not line.heading and not line.title_like:
            return i
    return content.start
