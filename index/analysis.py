"""Chinese analysis for Whoosh: jieba words for ranking.

One segmenter instance, with the measures dictionary, serves indexing and
querying, so a query is cut the way the documents were.  Word tokens carry
``startchar``/``endchar`` into the normalized text.

The words are Python jieba's search-mode words, computed by jieba-rs
(``rjieba``): several times faster, and jieba's dictionary is never loaded
into Python.  Where jieba-rs differs from jieba (other CJK blocks, joined
Latin runs such as 2021-2025, the frequency total) it is brought back in
line here; tests/test_segmenter.py compares the two on whole corpora.

Word segmentation depends on context (蒙速办 is 蒙/速办 in one sentence and
whole in another), so exact lookup does not use words: it uses the folded
character bigrams of the substring layer (index.grams), whose recall equals
a substring scan.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path

import rjieba
from whoosh.analysis import Analyzer, Token, Tokenizer

from govsearch.index.bundled import MEASURES_FILE
from govsearch.index.normalize import fold, is_punctuation_or_space

# Bump when tokenization changes: indexes built by another version warn.
ANALYZER_VERSION = "5"

log = logging.getLogger(__name__)

# The measures dictionary ships in seeds/; set_user_dictionary overrides it.
DEFAULT_USER_DICTIONARY = MEASURES_FILE
_user_dictionary: Path | None = DEFAULT_USER_DICTIONARY
# A user's own words (govsearch terms add), read after the measures: an
# installed package's seeds are not the user's to edit.  The CLI names the
# file (govsearch.cli_terms); any process that should cut as the index was
# built - a server started another way, a worker - sets the variable too.
USER_WORDS_ENV = "GOVSEARCH_USER_WORDS"


def set_user_dictionary(path: Path | None) -> None:
    """Use a jieba user dictionary (the measures list) for every later cut."""
    global _user_dictionary
    _user_dictionary = path
    segmenter.cache_clear()
    dictionary_words.cache_clear()


def dictionaries() -> list[Path]:
    """The user dictionaries every cut uses: the measures, then the file
    $GOVSEARCH_USER_WORDS names, when it exists and is another file."""
    paths = [p for p in (_user_dictionary,) if p is not None and p.exists()]
    extra = os.environ.get(USER_WORDS_ENV)
    if extra and Path(extra).is_file() and all(Path(extra).resolve() != p.resolve() for p in paths):
        paths.append(Path(extra))
    return paths


# ------------------------------------------------------------ jieba, by jieba-rs
# jieba keeps runs of [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] together and emits any
# other character alone; jieba-rs also counts U+9FD6-9FFF, the CJK extensions
# and the compatibility ideographs as Han.  No dictionary word has one, so they
# are cut out before jieba-rs sees the text.
_NOT_JIEBA_HAN = re.compile("[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\U00020000-\U0002FA1F]")

# jieba's HMM splits a non-Han run with this pattern (2021-2025 is 2021 - 2025);
# jieba-rs keeps runs joined by . _ - whole (COVID-19) and adds their Latin
# parts in search mode.  Such tokens - ASCII, as the HMM cuts Han apart from
# the rest - are cut again jieba's way.  This assumes no dictionary word holds
# . _ or - (jieba's has none; the measures list allows none).
_JIEBA_SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
_JOINED = re.compile(r"[A-Za-z0-9][._-]|[._-][A-Za-z0-9]")
_JOINER = re.compile(r"[._-]")

# A user dictionary line, as jieba.Tokenizer.load_userdict reads it.
_USER_LINE = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")

# jieba's frequency total, the denominator of every word probability, sums all
# lines of its dict.txt (B超 is listed twice) plus every user entry, even one
# that replaces a dictionary word; jieba-rs keeps one frequency per word.  Words
# of characters jieba-rs never sees (see _NOT_JIEBA_HAN) never match, so they
# can measure its total and pad it to jieba's.
JIEBA_DICT_TOTAL = 60_101_967  # jieba 0.42.1
_PROBE_A, _PROBE_B, _PADDING = "\u3400", "\u3401", "\u3402"


def _total(tok: rjieba.Jieba) -> int:
    """jieba-rs's frequency total t, which it does not expose, read off a cut.

    With A:3, AB:2 and B:x added, AB is one word while 2T > 3x, T = t + 5 + x:
    while x < 2t + 10 (at equality floating point may go either way)."""
    tok.add_word(_PROBE_A, 3, None)
    tok.add_word(_PROBE_A + _PROBE_B, 2, None)
    whole, split = 1, 1 << 42
    while split - whole > 1:
        x = (whole + split) // 2
        tok.add_word(_PROBE_B, x, None)
        if len(tok.cut(_PROBE_A + _PROBE_B, False)) == 1:
            whole = x
        else:
            split = x
    for word in (_PROBE_A, _PROBE_B, _PROBE_A + _PROBE_B):
        tok.add_word(word, 0, None)  # takes its frequency back out of the total
    return (split - 10) // 2


def _entries(path: Path | None) -> Iterator[tuple[str, int, str | None]]:
    """(word, frequency, tag) of each line of a user dictionary."""
    if path is None or not path.exists():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        word, freq, tag = _USER_LINE.match(line).groups()
        if freq is None or not int(freq):
            raise ValueError(f"{path}: {word!r} needs a positive frequency")
        yield word, int(freq), tag and tag.strip()


def _load(path: Path | None, *more: Path) -> rjieba.Jieba:
    """jieba-rs with jieba's dictionary plus the user dictionaries at ``path`` and ``more``."""
    tok = rjieba.Jieba()
    total = JIEBA_DICT_TOTAL
    for word, freq, tag in (entry for each in (path, *more) for entry in _entries(each)):
        tok.add_word(word, freq, tag)
        total += freq
    measured = _total(tok)
    if not 0 < measured <= total:
        log.warning("jieba-rs's frequency total %d cannot be padded to jieba's %d: words may be cut differently",
                    measured, total)
    elif measured < total:
        tok.add_word(_PADDING, total - measured, None)
    return tok


@functools.lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """The user dictionary's words (the named measures), folded as queries
    are: a plain query that is one of them is looked for as a whole."""
    return frozenset(fold(word) for path in dictionaries() for word, _, _ in _entries(path))


@functools.lru_cache(maxsize=1)
def segmenter() -> rjieba.Jieba:
    """The process-wide segmenter (jieba-rs), with the user dictionaries if any."""
    return _load(None, *dictionaries())


def dictionary_hash() -> str:
    """Identifies the user dictionaries, so an index built with others warns
    (the measures alone hash as they always did)."""
    paths = dictionaries()
    if not paths:
        return ""
    return hashlib.sha1(b"\0".join(p.read_bytes() for p in paths)).hexdigest()[:16]


def _search_words(tok: rjieba.Jieba, word: str, start: int) -> list[tuple[str, int, int]]:
    """One word in jieba's search mode: its 2- and 3-character dictionary sub-words, then itself."""
    out = []
    for size in (2, 3):
        if len(word) > size:
            out += [(word[i : i + size], start + i, start + i + size)
                    for i in range(len(word) - size + 1) if tok.has_word(word[i : i + size])]
    out.append((word, start, start + len(word)))
    return out


def _split_joined(tok: rjieba.Jieba, text: str) -> list[tuple[str, int, int]]:
    """jieba-rs's search-mode tokens of ``text``, joined runs cut as jieba cuts them."""
    tokens = tok.tokenize(text, mode="search")
    if not _JOINED.search(text):
        return tokens
    out: list[tuple[str, int, int]] = []
    for token in tokens:
        word, start = token[0], token[1]
        if not (word.isascii() and len(word) > 2 and _JOINER.search(word)):
            out.append(token)
            continue
        while out and out[-1][1] >= start:
            out.pop()  # jieba-rs's parts and sub-words of the joined run
        pieces = [word] if tok.has_word(word) else [p for p in _JIEBA_SKIP.split(word) if p]
        for piece in pieces:
            out += _search_words(tok, piece, start)
            start += len(piece)
    return out


def jieba_tokens(text: str) -> list[tuple[str, int, int]]:
    """What ``jieba.Tokenizer.tokenize(text, mode="search")`` yields, with the
    same dictionaries: (word, start, end), punctuation and spaces included."""
    tok = segmenter()
    if not _NOT_JIEBA_HAN.search(text):
        return _split_joined(tok, text)
    out: list[tuple[str, int, int]] = []
    pos = 0
    for m in _NOT_JIEBA_HAN.finditer(text):
        out += [(w, pos + s, pos + e) for w, s, e in _split_joined(tok, text[pos : m.start()])]
        out.append((m.group(), m.start(), m.end()))
        pos = m.end()
    out += [(w, pos + s, pos + e) for w, s, e in _split_joined(tok, text[pos:])]
    return out


# Punctuation and spaces are dropped; words repeat, so each is checked once.
_dropped = functools.lru_cache(maxsize=1 << 16)(is_punctuation_or_space)

# jieba's search mode adds only 2- and 3-character sub-words of a long word;
# dictionary words nested deeper (法治政府 in 法治政府建设, 枫桥经验 in
# 新时代枫桥经验) are added here, so a query for them ranks those documents.
MIN_NESTED = 4


def _nested_words(word: str, start: int, tok: rjieba.Jieba) -> list[tuple[str, int, int]]:
    out = []
    for size in range(MIN_NESTED, len(word)):
        for i in range(len(word) - size + 1):
            if tok.has_word(word[i : i + size]):
                out.append((word[i : i + size], start + i, start + i + size))
    return out


def cut_words(text: str) -> list[tuple[str, int, int]]:
    """jieba search-mode words of ``text`` as (word, start, end), lower-cased,
    with nested dictionary words added and whitespace and punctuation dropped."""
    tok = segmenter()
    out = []
    for word, start, end in jieba_tokens(text):
        if _dropped(word):
            continue
        if len(word) > MIN_NESTED:
            out.extend(_nested_words(word, start, tok))
        out.append((word.lower(), start, end))
    return out


def query_words(text: str) -> list[str]:
    """Distinct words of a query, in order - the terms a plain query ANDs."""
    seen: dict[str, None] = {}
    for word, _, _ in cut_words(text):
        seen.setdefault(word, None)
    return list(seen)


def word_counts(text: str) -> dict[str, int]:
    """How often each word of ``text`` occurs: all a ranked field indexes
    (no positions), computed by an ingest worker so the writer need not.
    The words :func:`cut_words` gives, counted: the tokens are counted first
    (in C), so dropping, nesting and lower-casing run once a distinct token,
    not once a token."""
    tok = segmenter()
    counts: Counter[str] = Counter()
    for word, n in Counter(map(itemgetter(0), jieba_tokens(text))).items():
        if _dropped(word):
            continue
        if len(word) > MIN_NESTED:
            for nested, _, _ in _nested_words(word, 0, tok):
                counts[nested] += n
        counts[word.lower()] += n
    return dict(counts)


class Precounted(str):
    """A field value whose word counts were computed elsewhere - in an
    ingest worker process - so the writer does not cut it again."""

    counts: dict[str, int]


def precounted(value: str, counts: dict[str, int]) -> Precounted:
    out = Precounted(value)
    out.counts = counts
    return out


class SpanTokenizer(Tokenizer):
    """A Whoosh tokenizer over (term, start, end) spans; subclasses say how
    to cut.  Positions count the kept spans."""

    def spans(self, value: str) -> list[tuple[str, int, int]]:
        raise NotImplementedError

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        spans = self.spans(value) if tokenize else [(value, 0, len(value))]
        for pos, (term, start, end) in enumerate(spans):
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = term
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class JiebaTokenizer(SpanTokenizer):
    """jieba words with offsets into the normalized text."""

    def spans(self, value: str) -> list[tuple[str, int, int]]:
        return cut_words(value)


def word_analyzer() -> Analyzer:
    """The analyzer of the ranked ``title`` and ``text`` fields."""
    return JiebaTokenizer()
