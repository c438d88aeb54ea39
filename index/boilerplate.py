"""Line-level boilerplate filter: toolbars, breadcrumbs, footers, pipe debris.

Text pages (seeds, pasted text) and the lines extracted from HTML go through
the same filter.  The vocabulary lives in ``data/boilerplate.txt`` so that it
can grow without code changes.  A line is dropped when it is *built only from*
toolbar words and separators - a structural test that needs no list of whole
lines copied from example pages.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from govsearch.index.bundled import data_file

# Separators that glue toolbar words together: 【打印】|【关闭】 • 字号：大 中 小
_SEPARATORS = re.compile(r"[\s|｜•·●◆■□▪►>»›/\\【】\[\]（）()<>《》:：,，、;；!！?？\-—_=+*#.。'\"“”]+")
_LONE_PIPE = re.compile(r"(?:^|(?<=\s))[|｜]+(?=\s|$)|^[|｜]+|[|｜]+$")


@dataclass(frozen=True)
class Vocabulary:
    toolbar: frozenset[str]
    line_patterns: tuple[re.Pattern[str], ...]
    fragment_patterns: tuple[re.Pattern[str], ...]

    @functools.cached_property
    def toolbar_chars(self) -> frozenset[str]:
        """Every character of a toolbar word: a word with any other character is no toolbar."""
        return frozenset("".join(self.toolbar))

    @functools.cached_property
    def longest_toolbar_word(self) -> int:
        return max(map(len, self.toolbar), default=0)

    @functools.cached_property
    def any_line_pattern(self) -> re.Pattern[str] | None:
        """The [line] patterns as one alternation: one search per line instead of one per pattern."""
        if not self.line_patterns:
            return None
        return re.compile("|".join(f"(?:{p.pattern})" for p in self.line_patterns), re.IGNORECASE)


def _parse(text: str) -> Vocabulary:
    sections: dict[str, list[str]] = {"toolbar": [], "line": [], "fragment": []}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]") and line[1:-1] in sections:
            current = line[1:-1]
            continue
        if current is None:
            raise ValueError(f"boilerplate.txt: entry outside a section: {line!r}")
        sections[current].append(line)
    return Vocabulary(
        toolbar=frozenset(w.lower() for w in sections["toolbar"]),
        line_patterns=tuple(re.compile(p, re.IGNORECASE) for p in sections["line"]),
        fragment_patterns=tuple(re.compile(p) for p in sections["fragment"]),
    )


@functools.lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled vocabulary, parsed once per process."""
    data = data_file("boilerplate.txt")
    return _parse(data.read_text(encoding="utf-8"))


# Toolbar words glued without a separator (打印关闭, 字体：小大) are split
# into vocabulary words; longer runs are never toolbars.
_MAX_GLUED = 24


def _is_toolbar_word(word: str, vocab: Vocabulary) -> bool:
    """True when ``word`` is a toolbar word or a run of them (打印关闭 = 打印 + 关闭)."""
    toolbar = vocab.toolbar
    if word in toolbar:
        return True
    if len(word) > _MAX_GLUED or not vocab.toolbar_chars.issuperset(word):
        return False
    longest = vocab.longest_toolbar_word
    ends = [True] + [False] * len(word)  # ends[i]: word[:i] splits into toolbar words
    for i in range(1, len(word) + 1):
        ends[i] = any(ends[j] and word[j:i] in toolbar for j in range(max(0, i - longest), i))
    return ends[-1]


def is_toolbar(line: str, vocab: Vocabulary | None = None) -> bool:
    """True when a line holds nothing but toolbar words and separators."""
    vocab = vocab or vocabulary()
    words = [w for w in _SEPARATORS.split(line.lower()) if w]
    return all(_is_toolbar_word(w, vocab) for w in words)


def strip_fragments(line: str, vocab: Vocabulary | None = None) -> str:
    """Remove inline chrome such as 【打印本页】 or ``|||`` from a line."""
    vocab = vocab or vocabulary()
    for pattern in vocab.fragment_patterns:
        line = pattern.sub(" ", line)
    return _LONE_PIPE.sub(" ", line).strip()


# A paragraph of prose this long is body text even when it names a 邮编 and
# a 电话: a 政府信息公开 annual report's opening paragraph gives the office's
# address; a site footer is a short line.
MAX_FOOTER_PROSE = 100


def is_boilerplate_line(line: str, vocab: Vocabulary | None = None) -> bool:
    """True for a breadcrumb, footer or toolbar line."""
    vocab = vocab or vocabulary()
    if is_toolbar(line, vocab):
        return True
    if len(line) > MAX_FOOTER_PROSE and "。" in line:
        return False
    pattern = vocab.any_line_pattern
    return bool(pattern and pattern.search(line))


def filter_lines(lines: list[str], vocab: Vocabulary | None = None) -> list[str]:
    """Keep body lines only, with inline chrome removed."""
    vocab = vocab or vocabulary()
    kept = []
    for line in lines:
        if is_boilerplate_line(line, vocab):
            continue
        line = strip_fragments(line, vocab)
        if line and not is_toolbar(line, vocab):
            kept.append(line)
    return kept
