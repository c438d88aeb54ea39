"""Extraction stages 1-2: parse a page and cut it into lines.

:func:`parse_html` never raises; :func:`segment` walks the tree once and
cuts it into *lines* - one per paragraph, heading, list item or table row -
each with its text length, link text, punctuation and whether it sits in
chrome or hidden; each block element remembers the range of lines it holds.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag

from govsearch.index.bundled import data_file
from govsearch.index.extraction_settings import (
    BLOCKS,
    CELL_BLOCKS,
    CHROME_TOKENS,
    CHROME_WORDS,
    HEADINGS,
    HIDDEN_STYLE,
    MAX_ROW_TEXT,
    SKIP,
    STRONG_PUNCT,
    SUBTITLE_CLASS,
    TITLE_CLASS,
    WEAK_PUNCT,
)

log = logging.getLogger(__name__)

_TOKEN_SPLIT = re.compile(r"[-_\s]+")


_DEL_STRONG = str.maketrans("", "", STRONG_PUNCT)


DEL_WEAK = str.maketrans("", "", WEAK_PUNCT)


_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


_CJK = _HAN + "，。、；：！？（）《》〈〉「」『』【】“”‘’…—～·"


# Source-formatting whitespace (it holds a line break) between two CJK
# characters is not a space the author typed: hard-wrapped HTML source.
_FORMATTING_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\r\n\f\v\xa0]*[\r\n][ \t\r\n\f\v\xa0]*(?=[{_CJK}])")


SPACES = re.compile(r"\s+")


_PIPES = re.compile(r"\s*(?:\|\s*)+")


@dataclass
class Line:
    """One line of the page with what the scoring needs to know about it."""

    text: str
    chars: int  # non-space characters
    link_chars: int  # … of which inside <a>
    chrome: bool  # mostly inside a chrome-classed or hidden element
    heading: int = 0  # 1-6 when inside <h1>…<h6>
    title_like: bool = False  # inside an element whose class/id says title
    row: bool = False  # the joined cells of one data-table row
    hidden: bool = False  # mostly inside a display:none / hidden element
    lead_link: bool = False  # its first text is inside <a> (a teaser item: linked title, then summary)
    copy: bool = False  # part of a second copy of the body (see mark_copies)
    weight: float = 0.0
    raw_weight: float = 0.0  # weight before the chrome penalty
    boilerplate: bool = False  # a toolbar, breadcrumb or footer line (index.boilerplate)

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def strong_punct(self) -> int:
        return len(self.text) - len(self.text.translate(_DEL_STRONG))


@dataclass
class Block:
    """A block element and the range of lines it holds."""

    tag: Tag
    start: int
    end: int
    chrome: bool  # its own class/id names chrome
    hidden: bool
    known: bool  # its own class/id is in cms_containers.txt


@dataclass
class Page:
    lines: list[Line]
    blocks: list[Block]
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------- data
@functools.lru_cache(maxsize=1)
def known_containers() -> frozenset[str]:
    """Class/id names of CMS content containers, lower-cased."""
    data = data_file("cms_containers.txt")
    names = set()
    for raw in data.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            names.add(line.lower())
    return frozenset(names)


# ---------------------------------------------------------------- 1. parse
def parse_html(html: str) -> BeautifulSoup:
    try:
        return BeautifulSoup(html or "", "lxml")
    except Exception:  # lxml rejects a few control-character soups
        return BeautifulSoup("", "lxml")


def _names(tag: Tag) -> list[str]:
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    ident = tag.get("id")
    return [*classes, ident] if isinstance(ident, str) and ident else list(classes)


def is_chrome_name(name: str) -> bool:
    """True for a class or id that names navigation, footer, share … boxes."""
    if CHROME_WORDS.search(name):
        return True
    low = name.lower()
    return low in CHROME_TOKENS or any(t in CHROME_TOKENS for t in _TOKEN_SPLIT.split(low))


def _is_data_row(tr: Tag) -> bool:
    """A row of two or more short cells and no paragraphs: its cells join on one line.

    A row whose cell holds paragraphs, divs or tables, or a long text broken
    by <br>, is page layout, and its cells are blocks of their own.
    """
    cells = 0
    for child in tr.children:
        if type(child) is Tag and child.name in ("td", "th"):
            cells += 1
    if cells < 2:
        return False
    size = 0
    for d in tr.descendants:
        if type(d) is Tag:
            if d.name in CELL_BLOCKS:
                return False
        elif type(d) is NavigableString:
            size += len(d)
            if size > MAX_ROW_TEXT:
                return False
    return True


@functools.lru_cache(maxsize=4096)
def _name_signals(name: str) -> tuple[bool, bool, bool]:
    """(chrome, known content container, title-like) for one class or id."""
    return (
        is_chrome_name(name),
        name.lower() in known_containers(),
        bool(TITLE_CLASS.search(name)) and not SUBTITLE_CLASS.search(name),
    )


def _is_hidden(tag: Tag) -> bool:
    style = tag.get("style")
    return (isinstance(style, str) and bool(HIDDEN_STYLE.search(style))) or tag.has_attr("hidden")


# ---------------------------------------------------------------- 2. segment
class _Frame(NamedTuple):
    """An open element during the walk, and what closing it must undo."""

    tag: Tag
    children: Iterator[PageElement]
    link: bool  # an <a>
    chrome_zone: bool  # chrome-classed or hidden: its text counts as chrome
    heading: bool  # h1-h6
    title: bool  # title-classed
    row: bool  # a data row: its cells join on one line
    start: int | None  # a block: index of its first line
    own_chrome: bool
    own_hidden: bool
    own_known: bool


class _Segmenter:
    """One pass over the tree: lines and the line range of every block."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.buf_link = 0
        self.buf_chrome = 0
        self.buf_hidden = 0
        self.buf_chars = 0
        self.buf_lead_link: bool | None = None
        self.buf_heading = 0
        self.buf_title = False
        self.buf_row = False
        self.link_depth = 0
        self.chrome_depth = 0
        self.hidden_depth = 0
        self.heading_level: list[int] = []
        self.title_depth = 0
        self.row_cells: list[int] = []  # cell counters of the open data rows

    def text(self, s: str) -> None:
        if not s:
            return
        self.buf.append(s)
        n = len(s) - s.count(" ") - s.count("\n") - s.count("\t") - s.count("\r")
        n -= s.count("\xa0") + s.count("\u3000")
        if n <= 0:
            return
        self.buf_chars += n
        if self.buf_lead_link is None:
            self.buf_lead_link = bool(self.link_depth)
        if self.link_depth:
            self.buf_link += n
        if self.chrome_depth:
            self.buf_chrome += n
        if self.hidden_depth:
            self.buf_hidden += n
        if self.heading_level:
            level = self.heading_level[-1]
            self.buf_heading = min(self.buf_heading, level) if self.buf_heading else level
        if self.title_depth:
            self.buf_title = True

    def flush(self) -> None:
        if not self.buf:
            return
        text = "".join(self.buf)
        text = SPACES.sub(" ", _FORMATTING_SPACE.sub("", text)).strip()
        if self.buf_row:
            text = _PIPES.sub(" | ", text).strip(" |")
        if text:
            chars = len(text) - text.count(" ") - (text.count("|") if self.buf_row else 0)
            if chars > 0:
                self.lines.append(Line(
                    text=text,
                    chars=chars,
                    link_chars=min(self.buf_link, chars),
                    chrome=self.buf_chrome * 2 > self.buf_chars,
                    heading=self.buf_heading,
                    title_like=self.buf_title,
                    row=self.buf_row,
                    hidden=self.buf_hidden * 2 > self.buf_chars,
                    lead_link=bool(self.buf_lead_link),
                ))
        self.buf = []
        self.buf_link = self.buf_chrome = self.buf_hidden = self.buf_chars = self.buf_heading = 0
        self.buf_lead_link = None
        self.buf_title = False
        self.buf_row = bool(self.row_cells)

    def run(self, root: Tag) -> None:
        stack: list[_Frame] = []
        self._enter(root, stack)
        while stack:
            child = next(stack[-1].children, None)
            if child is None:
                self._leave(stack.pop())
            elif isinstance(child, Tag):
                if child.name not in SKIP:
                    self._enter(child, stack)
            elif type(child) is NavigableString:  # not a comment, doctype or CDATA
                self.text(str(child))
        self.flush()

    def _enter(self, tag: Tag, stack: list[_Frame]) -> None:
        name = tag.name
        if name == "br" or name == "hr":
            if self.row_cells:
                self.buf.append(" ")
            else:
                self.flush()
            return
        chrome = known = title = hidden = False
        if tag.attrs:
            for n in _names(tag):
                c, k, t = _name_signals(n)
                chrome, known, title = chrome or c, known or k, title or t
            hidden = _is_hidden(tag)
        block = name in BLOCKS
        row = False
        if name in ("td", "th") and self.row_cells:  # a cell of a data row: same line
            if self.row_cells[-1]:
                self.buf.append(" | ")
            self.row_cells[-1] += 1
            block = False
        elif name == "tr" and not self.row_cells and _is_data_row(tag):
            row = True
        start = None
        if block and not self.row_cells:
            self.flush()
            start = len(self.lines)
        if row:
            self.row_cells.append(0)
            self.buf_row = True
        frame = _Frame(tag, iter(tag.contents), name == "a", chrome or hidden, name in HEADINGS, title, row,
                       start, chrome, hidden, known)
        if frame.link:
            self.link_depth += 1
        if frame.chrome_zone:
            self.chrome_depth += 1
        if hidden:
            self.hidden_depth += 1
        if frame.heading:
            self.heading_level.append(HEADINGS[name])
        if title:
            self.title_depth += 1
        stack.append(frame)

    def _leave(self, frame: _Frame) -> None:
        if frame.start is not None or frame.row:
            self.flush()
        if frame.row:
            self.row_cells.pop()
            self.buf_row = bool(self.row_cells)
        if frame.link:
            self.link_depth -= 1
        if frame.chrome_zone:
            self.chrome_depth -= 1
        if frame.own_hidden:
            self.hidden_depth -= 1
        if frame.heading:
            self.heading_level.pop()
        if frame.title:
            self.title_depth -= 1
        if frame.start is not None and len(self.lines) > frame.start:
            self.blocks.append(Block(frame.tag, frame.start, len(self.lines), frame.own_chrome, frame.own_hidden,
                                     frame.own_known))


def segment(soup: BeautifulSoup) -> Page:
    """Cut the page into lines; read <title> and the <meta> names CMSs fill in."""
    page = Page([], [])
    title_tag = soup.find("title")
    if title_tag is not None:
        page.title = SPACES.sub(" ", title_tag.get_text(" ")).strip()
    for meta in soup.find_all("meta"):
        key = meta.get("name") or meta.get("property")
        content = meta.get("content")
        if isinstance(key, str) and isinstance(content, str) and content.strip():
            page.meta.setdefault(key.lower(), SPACES.sub(" ", content).strip())
    seg = _Segmenter()
    seg.run(soup)
    page.lines, page.blocks = seg.lines, seg.blocks
    return page
