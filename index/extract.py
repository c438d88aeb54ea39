"""HTML to body lines, a heading and metadata lines: main-text extraction.

Government pages wrap a short body in a lot of chrome: mega-menus, breadcrumbs,
toolbars, related-article lists, footers.  Extraction runs as named stages,
each testable alone (the trafilatura way):

1. :func:`parse_html` - BeautifulSoup with lxml; never raises.
2. :func:`segment` - walk the tree once and cut it into *lines*: one per
   paragraph, heading, list item or table row.  Inline tags (``<span>``,
   ``<font>``, ``<a>`` …) join, so ``<span>2015</span>年`` stays ``2015年``;
   the cells of a simple table row join with `` | ``.  Each line carries its
   text length, the part of it inside links, its punctuation, and whether it
   sits in a navigation/footer-like or hidden element.  Each block element
   remembers the range of lines it holds.
3. :func:`line_weight` - a score per line in the spirit of GNE and
   trafilatura: long, punctuated, link-free text is body (positive); link text,
   short unpunctuated labels and known boilerplate are chrome (negative).
   :func:`mark_copies` then finds a second copy of the body - a print,
   长者/无障碍 or read-aloud copy, hidden or elsewhere on the page, maybe
   glued into one line - by its repeated long paragraphs, and gives it no
   weight, so the chooser picks the body's own copy and tidy drops the other.
4. :func:`choose_content` - the block element whose lines have the largest
   total weight (a maximum-sum subtree).  Chrome around the body lowers the sum
   of any node that takes it in, so the winner is the tightest node holding
   the body.  A container named in ``data/cms_containers.txt`` gets a modest
   bonus, never more.
5. :func:`tidy` - inside the chosen node, drop link-dense lists, teaser lists
   (linked titles with a summary and a date each), hidden and chrome-classed
   sub-blocks, copies and boilerplate lines; drop the heading when it
   opens the node; above the first and below the last substantial line, move
   metadata out and drop chrome (a signature or a date line stays).
6. :func:`collect_metadata` - labelled lines (索引号, 发布机构, 发布日期 …)
   near the body but not in it become ``metadata``, label/value pairs read
   by :mod:`index.labels` (the one reader of labels: table rows, glued and
   bracketed labels, a label printed alone with its value on the next line,
   a bare date between the heading and the body as ``发布时间``).  Lines of
   link lists (a related-articles list with a date under each item) are not
   the page's metadata.
7. :func:`choose_heading` - the best h1/h2/title-like element near the body
   (not a site logo), else ``<title>`` without its site-name part.

The line-level boilerplate filter in :mod:`index.boilerplate` runs again in
the cleaning pipeline; the extractor uses the same vocabulary.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from itertools import accumulate

from govsearch.index.boilerplate import is_boilerplate_line, vocabulary
from govsearch.index.copies import mark_copies
from govsearch.index.dates import DATE_ONLY
from govsearch.index.extraction_settings import (
    CHROME_FACTOR,
    CONTAINER_BONUS,
    DATE_BEFORE,
    HEADING_SEARCH,
    LINE_COST,
    LINK_COST,
    METADATA_AFTER,
    METADATA_BEFORE,
    ROW_COST,
    SUBSTANTIAL,
    TEASER_ITEMS,
    TEASER_LINK_DENSITY,
)
from govsearch.index.heading import choose_heading
from govsearch.index.labels import is_lone_label, label_pairs
from govsearch.index.labels import is_metadata_line as _is_metadata_text
from govsearch.index.segment import DEL_WEAK, Block, Line, Page, parse_html, segment

log = logging.getLogger(__name__)




@dataclass
class Extracted:
    lines: list[str]
    heading: str  # the page's main heading (an h1/h2/title element near the body, else <title>)
    page_title: str  # the raw <title>, site suffix and all
    # 索引号 …: the (label, value) pairs printed near the body, in page order.
    metadata: list[tuple[str, str]] = field(default_factory=list)


# ---------------------------------------------------------------- 3. weigh
def line_weight(line: Line) -> float:
    """Positive for body-like lines, negative for chrome (before the chrome-class penalty)."""
    if line.boilerplate:
        return -(line.chars + LINE_COST)
    plain = line.chars - line.link_chars
    if line.chars < 200 and line.text.count("：") + line.text.count(":") >= 2:
        factor = 0.3  # 地址：… 电话：… - a list of labels and values, not prose
    else:
        strong = line.strong_punct
        weak = len(line.text) - len(line.text.translate(DEL_WEAK))
        density = (strong + 0.5 * weak) / max(plain, 1)
        factor = 0.3 + min(density * 25.0, 1.7)
    cost = ROW_COST if line.row else LINE_COST
    return plain * factor - LINK_COST * line.link_chars - cost


def weigh(page: Page) -> None:
    for line in page.lines:
        line.boilerplate = is_boilerplate_line(line.text)
        line.raw_weight = line_weight(line)
        line.weight = line.raw_weight * CHROME_FACTOR if line.chrome and line.raw_weight > 0 else line.raw_weight


# ---------------------------------------------------------------- 4. choose
def choose_content(page: Page) -> Block | None:
    """The block whose lines weigh most; None when no block weighs above zero."""
    prefix = [0.0, *accumulate(line.weight for line in page.lines)]
    best, best_score = None, 0.0
    for block in page.blocks:  # post-order: a child comes before its parent and wins ties
        total = prefix[block.end] - prefix[block.start]
        score = total * CONTAINER_BONUS if block.known and total > 0 else total
        if score > best_score:
            best, best_score = block, score
    return best


# ---------------------------------------------------------------- 5. tidy
def _noise_ranges(page: Page, content: Block) -> list[tuple[int, int]]:
    """Sub-blocks of the content node that are lists of links, hidden, or chrome."""
    chars = [0, *accumulate(line.chars for line in page.lines)]
    links = [0, *accumulate(line.link_chars for line in page.lines)]
    raw = [0.0, *accumulate(line.raw_weight for line in page.lines)]
    content_raw = raw[content.end] - raw[content.start]
    ranges = []
    for block in page.blocks:
        if block is content or block.start < content.start or block.end > content.end:
            continue
        if (block.start, block.end) == (content.start, content.end):
            continue
        n = chars[block.end] - chars[block.start]
        link_density = (links[block.end] - links[block.start]) / n if n else 0.0
        count = block.end - block.start
        block_raw = raw[block.end] - raw[block.start]
        if (block.hidden or block.chrome) and block_raw > 0.5 * content_raw:
            continue  # most of the body sits in it: a misleading class or a JS-revealed body
        thin_chrome = block.chrome and (block_raw < 20 * count or link_density > 0.3)
        link_list = link_density >= 0.5 and (count >= 2 or block.tag.name in ("ul", "ol", "dl"))
        teasers = link_density >= TEASER_LINK_DENSITY and _is_teaser_list(page, block)
        if block.hidden or thin_chrome or link_list or teasers:
            ranges.append((block.start, block.end))
    return ranges


def _is_teaser_list(page: Page, block: Block) -> bool:
    """A list of other articles: lines that open with a linked title, each maybe followed by a summary and a date.

    At least ``TEASER_ITEMS`` lines open with a link, and they are a third or
    more of the block's lines: a body paragraph seldom starts with a link.
    """
    lines = page.lines[block.start:block.end]
    leads = sum(1 for line in lines if line.lead_link and line.link_chars >= 4)
    return leads >= TEASER_ITEMS and 3 * leads >= len(lines)


def is_metadata_line(line: Line) -> bool:
    """A labelled line such as ``发布日期：2023-04-19`` or a metadata table row."""
    return _is_metadata_text(line.text)


def _is_edge_chrome(line: Line, chrome_body: bool = False) -> bool:
    """Lines trimmed from the head and tail of the body (``chrome_body``: the body itself sits in chrome)."""
    return (line.chrome and not chrome_body) or line.link_density >= 0.5 or line.boilerplate


def _strip_heading(page: Page, keep: list[int], heading: str) -> tuple[list[int], list[int]]:
    """Drop the heading from the top of the body (it may be split over a few lines), and what precedes it.

    Returns the remaining body and the metadata lines found above the heading.
    """
    target = _squeeze(heading)
    if not target:
        return keep, []
    for k in range(min(HEADING_SEARCH, len(keep))):
        joined = ""
        for m in range(k, min(k + 4, len(keep))):
            joined += _squeeze(page.lines[keep[m]].text)
            if joined == target:
                return keep[m + 1:], [j for j in keep[:k] if is_metadata_line(page.lines[j])]
            if not target.startswith(joined):
                break
    return keep, []


def tidy(page: Page, content: Block, heading: str = "") -> tuple[list[int], list[int]]:
    """Indices of the body lines, and of the metadata lines taken from the body's edges.

    Sub-blocks that are link lists, hidden or chrome go, and so do boilerplate
    lines.  The heading goes when it opens the body, with whatever stands above
    it.  Above the first and below the last substantial line, metadata and
    chrome lines go too; short plain lines there (a date, a speaker, a
    signature) are body and stay.
    """
    dropped = bytearray(len(page.lines))
    for start, end in _noise_ranges(page, content):
        dropped[start:end] = b"\x01" * (end - start)
    keep = [i for i in range(content.start, content.end)
            if not dropped[i] and not page.lines[i].boilerplate and not page.lines[i].copy]
    keep, meta = _strip_heading(page, keep, heading)
    chrome_chars = sum(page.lines[i].chars for i in keep if page.lines[i].chrome)
    chrome_body = chrome_chars * 2 > sum(page.lines[i].chars for i in keep)
    solid = [k for k, i in enumerate(keep) if page.lines[i].raw_weight >= SUBSTANTIAL]
    first, last = (solid[0], solid[-1]) if solid else (len(keep), len(keep))
    body = []
    for k, i in enumerate(keep):
        line = page.lines[i]
        if k < first and DATE_ONLY.match(line.text):
            meta.append(i)  # the publication date between the heading and the body
            continue
        if (k < first or k > last) and (is_metadata_line(line) or _is_edge_chrome(line, chrome_body)):
            if is_metadata_line(line):
                meta.append(i)
            continue
        body.append(i)
    return body, sorted(meta)


def _pairs(text: str) -> list[tuple[str, str]]:
    """The label/value pairs of a metadata line, toolbar fragments (【字体：大 中 小】) aside."""
    for pattern in vocabulary().fragment_patterns:
        text = pattern.sub(" ", text)
    return label_pairs(text)


def _link_list_lines(page: Page, content: Block) -> bytearray:
    """Lines of link lists (related articles, news teasers) outside the content node."""
    chars = [0, *accumulate(line.chars for line in page.lines)]
    links = [0, *accumulate(line.link_chars for line in page.lines)]
    marked = bytearray(len(page.lines))
    for block in page.blocks:
        if block.end <= content.start or block.start >= content.end:
            n = chars[block.end] - chars[block.start]
            if block.end - block.start >= 3 and n and (links[block.end] - links[block.start]) / n >= 0.5:
                marked[block.start:block.end] = b"\x01" * (block.end - block.start)
    return marked


def collect_metadata(page: Page, body: list[int], edge: list[int],
                     content: Block | None) -> list[tuple[str, str]]:
    """Label/value pairs of the labelled lines near the body, in page order; a
    lone label takes the next line as its value.

    Lines inside link lists (a related-articles list with 发布时间 under each
    item) are not the page's own metadata and are left out.
    """
    if content is None:
        return []
    taken = set(body)
    in_lists = _link_list_lines(page, content)
    picked = set(edge)
    for i in range(max(0, content.start - METADATA_BEFORE), min(len(page.lines), content.end + METADATA_AFTER)):
        line = page.lines[i]
        if i in taken or i in picked or in_lists[i] or line.link_density >= 0.5:
            continue
        if is_metadata_line(line) or (content.start - DATE_BEFORE <= i < content.start and DATE_ONLY.match(line.text)):
            picked.add(i)
    out = []
    consumed = set()
    for i in sorted(picked):
        if i in consumed:
            continue
        text = page.lines[i].text
        if is_lone_label(text):
            nxt = i + 1
            if nxt >= len(page.lines) or nxt in taken or nxt in picked or page.lines[nxt].chars > 80:
                continue  # a label without a value says nothing
            text = f"{text.rstrip()} {page.lines[nxt].text}"
            consumed.add(nxt)
        out.extend(_pairs(text))
    return out


# ---------------------------------------------------------------- the pipeline
def extract(html: str) -> Extracted:
    """Body lines, heading, raw <title> and metadata lines of an HTML page.

    Never raises: markup the stages cannot handle (absurd nesting, a parser
    bug) gives an empty result, which the cleaner reports as a page without
    body text - one odd page never stops a batch.
    """
    try:
        return _extract(html)
    except Exception:  # see the docstring: never raise
        log.warning("extraction failed; treating the page as empty", exc_info=True)
        return Extracted([], "", "")


def _extract(html: str) -> Extracted:
    soup = parse_html(html)
    page = segment(soup)
    weigh(page)
    mark_copies(page)
    content = choose_content(page)
    heading = choose_heading(page, content)
    body, edge = tidy(page, content, heading) if content else ([], [])
    metadata = collect_metadata(page, body, edge, content)
    return Extracted([page.lines[i].text for i in body], heading, page.title, metadata)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)
