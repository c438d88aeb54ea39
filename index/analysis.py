"""Chinese analysis for Whoosh: jieba words with positions and character offsets.

One segmenter instance serves indexing and querying, so a query is cut the
way the documents were.  Tokens carry ``startchar``/``endchar`` into the
normalized text, which lets highlighting work on the stored text without
re-tokenizing it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

import jieba
from whoosh.analysis import Analyzer, Token, Tokenizer

from index.normalize import is_punctuation_or_space

# Bump when tokenization changes: indexes built by another version warn.
ANALYZER_VERSION = "1"

jieba.setLogLevel(logging.WARNING)

_user_dictionary: Path | None = None


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


def cut_words(text: str) -> list[tuple[str, int, int]]:
    """jieba search-mode words of ``text`` as (word, start, end), lower-cased,
    with whitespace and punctuation tokens dropped."""
    return [
        (word.lower(), start, end)
        for word, start, end in segmenter().tokenize(text, mode="search")
        if not is_punctuation_or_space(word)
    ]


def query_words(text: str) -> list[str]:
    """Distinct words of a query, in order - the terms a plain query ANDs."""
    seen: dict[str, None] = {}
    for word, _, _ in cut_words(text):
        seen.setdefault(word, None)
    return list(seen)


class JiebaTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`cut_words`; positions count kept tokens."""

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, (word, start, end) in enumerate(cut_words(value)):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def word_analyzer() -> Analyzer:
    """The analyzer of the ranked ``title`` and ``text`` fields."""
    return JiebaTokenizer()
