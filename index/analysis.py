"""Chinese analysis for Whoosh: jieba words for ranking, character bigrams for exact lookup.

One segmenter instance, with the measures dictionary, serves indexing and
querying, so a query is cut the way the documents were.  Word tokens carry
``startchar``/``endchar`` into the normalized text.

Word segmentation depends on context (蒙速办 is 蒙/速办 in one sentence and
whole in another), so exact lookup does not use words: the ``exact`` field
holds overlapping bigrams of the *folded* text (no punctuation or spaces,
lower case), every character a unit - Han, Latin and digits alike.  A query
of n ≥ 2 characters is the phrase of its n-1 bigrams at consecutive
positions, which matches exactly where the folded query is a substring of
the folded text: recall equals a substring scan.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import jieba
from whoosh.analysis import Analyzer, Token, Tokenizer

from index.normalize import fold, is_punctuation_or_space

# Bump when tokenization changes: indexes built by another version warn.
ANALYZER_VERSION = "4"

jieba.setLogLevel(logging.WARNING)

# The measures dictionary ships in seeds/; set_user_dictionary overrides it.
DEFAULT_USER_DICTIONARY = Path(__file__).resolve().parent.parent / "seeds" / "measures.txt"
_user_dictionary: Path | None = DEFAULT_USER_DICTIONARY


def set_user_dictionary(path: Path | None) -> None:
    """Use a jieba user dictionary (the measures list) for every later cut."""
    global _user_dictionary
    _user_dictionary = path
    segmenter.cache_clear()


@functools.lru_cache(maxsize=1)
def segmenter() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer, with the user dictionary if any."""
    tok = jieba.Tokenizer()
    tok.initialize()
    if _user_dictionary is not None and _user_dictionary.exists():
        tok.load_userdict(str(_user_dictionary))
    return tok


def dictionary_hash() -> str:
    """Identifies the user dictionary, so an index built with another warns."""
    if _user_dictionary is None or not _user_dictionary.exists():
        return ""
    return hashlib.sha1(_user_dictionary.read_bytes()).hexdigest()[:16]


# jieba's search mode adds only 2- and 3-character sub-words of a long word;
# dictionary words nested deeper (法治政府 in 法治政府建设, 枫桥经验 in
# 新时代枫桥经验) are added here, so a query for them ranks those documents.
MIN_NESTED = 4


def _nested_words(word: str, start: int, freq: dict[str, int]) -> list[tuple[str, int, int]]:
    out = []
    for size in range(MIN_NESTED, len(word)):
        for i in range(len(word) - size + 1):
            if freq.get(word[i : i + size]):
                out.append((word[i : i + size], start + i, start + i + size))
    return out


def cut_words(text: str) -> list[tuple[str, int, int]]:
    """jieba search-mode words of ``text`` as (word, start, end), lower-cased,
    with nested dictionary words added and whitespace and punctuation dropped."""
    tok = segmenter()
    out = []
    for word, start, end in tok.tokenize(text, mode="search"):
        if is_punctuation_or_space(word):
            continue
        if len(word) > MIN_NESTED:
            out.extend(_nested_words(word, start, tok.FREQ))
        out.append((word.lower(), start, end))
    return out


def query_words(text: str) -> list[str]:
    """Distinct words of a query, in order - the terms a plain query ANDs."""
    seen: dict[str, None] = {}
    for word, _, _ in cut_words(text):
        seen.setdefault(word, None)
    return list(seen)


class Pretokenized(str):
    """A field value whose word spans were computed elsewhere - in an ingest
    worker process - so the writer does not cut it again."""

    spans: list[tuple[str, int, int]]


def pretokenized(value: str, spans: list[tuple[str, int, int]]) -> Pretokenized:
    out = Pretokenized(value)
    out.spans = spans
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
        if not tokenize:
            spans = [(value, 0, len(value))]
        elif isinstance(value, Pretokenized):
            spans = value.spans
        else:
            spans = self.spans(value)
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


# ---------------------------------------------------------------- exact bigrams
# The last character of a text is also emitted alone, marked so that it never
# equals a bigram: with it, every character of the text starts some token and
# a one-character lookup is a prefix query.
END = "$"  # fold() drops "$", so no bigram can contain it


def bigrams(folded: str) -> list[str]:
    """Overlapping bigrams of an already folded string, plus the end marker."""
    if not folded:
        return []
    return [folded[i : i + 2] for i in range(len(folded) - 1)] + [folded[-1] + END]


def exact_terms(text: str) -> list[str]:
    """The terms a phrase query needs for an exact lookup of ``text``:
    its bigrams at consecutive positions (one-character text: see END)."""
    folded = fold(text)
    return [folded[i : i + 2] for i in range(len(folded) - 1)] if len(folded) > 1 else list(folded)


class BigramTokenizer(SpanTokenizer):
    """The folded bigrams of each line (paragraph).  A phrase must not run
    from one paragraph into the next, so each line's terms are followed by a
    position gap that no phrase can bridge.  Offsets are not kept: the field
    stores positions only."""

    def __call__(self, value: str, positions: bool = False, **kwargs) -> Iterator[Token]:
        start_pos = kwargs.pop("start_pos", 0)
        for line in value.split("\n"):
            count = 0
            for token in super().__call__(line, positions=positions, start_pos=start_pos, **kwargs):
                count += 1
                yield token
            start_pos += count + 1

    def spans(self, value: str) -> list[tuple[str, int, int]]:
        return [(term, 0, 0) for term in bigrams(fold(value))]


def exact_analyzer() -> Analyzer:
    """The analyzer of the ``exact`` field (not used for ranking)."""
    return BigramTokenizer()
