"""Text normalization shared by documents and queries.

Documents and queries must go through the same steps, or an exact lookup
would miss text that only differs in script, width or punctuation.  Each step
is a small function so it can be tested alone; :func:`normalize_text` runs the
document pipeline and :func:`fold` produces the punctuation-free form used for
exact matching.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Han ideographs (BMP + extension A and the compatibility block) - the
# characters a pinyin gloss can follow and that decide "CJK context".
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")

# Full-width CJK punctuation that also counts as CJK context.
CJK_PUNCT = "，。、；：！？（）《》〈〉「」『』【】“”‘’…—～·"

# ---------------------------------------------------------------- pinyin glosses
# Mirrors produced by some converters gloss each traditional character with its
# pinyin: 區(qū), 環(huán).  A gloss is recognised structurally: a Han character,
# then a parenthesised, lower-case, *valid pinyin syllable* that carries a tone
# mark.  A legitimate parenthetical such as 组织(WTO) or 附件(a) never matches.
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_INITIAL = "(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    "(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|üan|ai|ei|ao|ou|an|en|in|un|ün|er"
    "|ia|ie|iu|ua|uo|ui|üe|ue|a|o|e|i|u|ü|v|ng|n|m)"
)
_PLAIN_SYLLABLE = re.compile(f"^{_INITIAL}{_FINAL}$")
_GLOSS_RE = re.compile(rf"([{HAN}])[(（]([a-zü{_TONE_VOWELS}]{{1,6}})[)）]")


def _strip_tones(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", base)


def is_pinyin_gloss(body: str) -> bool:
    """True for a tone-marked pinyin syllable such as ``qū`` or ``huán``."""
    if not any(c in _TONE_VOWELS for c in body):
        return False
    return bool(_PLAIN_SYLLABLE.match(_strip_tones(body)))


def remove_pinyin_glosses(text: str) -> tuple[str, int]:
    """Drop pinyin glosses after Han characters; return the text and how many."""
    removed = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal removed
        if is_pinyin_gloss(m.group(2)):
            removed += 1
            return m.group(1)
        return m.group(0)

    return _GLOSS_RE.sub(repl, text), removed


# ---------------------------------------------------------------- script
@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # imported lazily: loading the dictionaries costs ~50 ms

    return opencc.OpenCC("t2s")


# Share of Han characters that t2s changes above which a text is traditional.
# Simplified text has a handful of characters t2s touches (著, 乾 in names);
# traditional text has one in four or more.
TRADITIONAL_RATIO = 0.04


def to_simplified(text: str) -> tuple[str, str]:
    """Convert traditional text to simplified; return (text, original script).

    Only text that *is* traditional is converted, so a simplified report never
    has a character rewritten by a phrase rule it did not need.
    """
    han = _HAN_RE.findall(text)
    if not han:
        return text, "simplified"
    converted = _t2s().convert(text)
    if converted == text:  # most reports: nothing to convert, nothing to count
        return text, "simplified"
    changed = sum(1 for a, b in zip(text, converted, strict=False) if a != b)
    if len(converted) == len(text) and changed / len(han) < TRADITIONAL_RATIO:
        return text, "simplified"
    return converted, "traditional"


# ---------------------------------------------------------------- punctuation
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_HALF_WIDTH = re.compile("[" + re.escape("".join(_HALF_TO_FULL)) + "]")
_CJK_CONTEXT = re.compile(f"[{HAN}{CJK_PUNCT}]")
# Full-width ASCII letters/digits and the ideographic space fold to ASCII.
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def unify_punctuation(text: str) -> str:
    """Use full-width punctuation in Chinese context and ASCII letters/digits.

    A half-width ``,;:!?()`` becomes full-width when the nearest character on
    either side is Han or CJK punctuation; ``2021-2025`` or ``a,b`` stay as
    they are.  Full-width letters and digits become ASCII.
    """
    text = _FULLWIDTH_ALNUM.sub(lambda m: chr(ord(m.group(0)) - 0xFEE0), text)
    if not _HALF_WIDTH.search(text):
        return text
    out = list(text)
    for i, c in enumerate(text):
        full = _HALF_TO_FULL.get(c)
        if full is None:
            continue
        if c == ":" and _neighbour(text, i, 1).isdigit() and _neighbour(text, i, -1).isdigit():
            continue  # a time such as 10:30
        if _CJK_CONTEXT.match(_neighbour(text, i, -1)) or _CJK_CONTEXT.match(_neighbour(text, i, 1)):
            out[i] = full
    return "".join(out)


# Debris left by broken converters: a comma doubled, or glued before another
# mark (",、" ",。" ",；").  The comma is the spurious part, so it goes.
_COMMA_DEBRIS = re.compile("[,，]+(?=[、。；;：:！!？?])|(?<=[、。；;！!？?])[,，]+")
_COMMA_RUN = re.compile("([,，])[,，]+")
_REPEATED_MARK = re.compile("([、。；])\\1+")


def collapse_punctuation(text: str) -> str:
    """Collapse duplicated punctuation such as ``,,`` ``,、`` ``、、``."""
    text = _COMMA_RUN.sub(r"\1", text)
    text = _COMMA_DEBRIS.sub("", text)
    return _REPEATED_MARK.sub(r"\1", text)


# ---------------------------------------------------------------- whitespace
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
# Spaces beside CJK punctuation (matched only where there are spaces: a
# pattern that matched every mark rewrote each one with itself).
_SPACE_AT_CJK_PUNCT = re.compile(f" +(?=[{CJK_PUNCT}])|(?<=[{CJK_PUNCT}]) +")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_whitespace(text: str) -> str:
    """One space for any run of spaces (NBSP, U+3000 …); trimmed, non-empty lines."""
    text = _CONTROL.sub("", _ZERO_WIDTH.sub("", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACE_AT_CJK_PUNCT.sub("", _SPACES.sub(" ", text))  # neither pattern crosses a line break
    return "\n".join(line for line in (raw.strip() for raw in text.split("\n")) if line)


_SPACED_HAN = re.compile(f"(?<=[{HAN}]) (?=[{HAN}])")


def squeeze_han_spaces(text: str) -> str:
    """Remove spaces between Han characters (``报 告`` → ``报告``) - for titles."""
    return _SPACED_HAN.sub("", text)


# ---------------------------------------------------------------- paragraph breaks
# Pages that lost their line breaks keep the spaces that stood for them, and
# an enumerator (一、 / （一）) after such a space starts a new paragraph.
_INLINE_ITEM = re.compile(
    r"(?<=\S)[ \t\u00a0\u3000]+(?=[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])"
)


# Forum markup left in a repost: [b]2022[/b][b]年[/b], [align=center], [color=rgb(51, 51, 51)].
_BBCODE = re.compile(r"\[/?(?:b|i|u|s|align|color|font|size|url|img|quote|table|tr|td|p|list|backcolor|indent)"
                     r"(?:=[^\]\n]{0,60})?\]", re.IGNORECASE)


def strip_bbcode(text: str) -> str:
    """Text without forum markup (checked for first: most text has none)."""
    return _BBCODE.sub("", text) if "[/" in text else text


def break_inline_items(text: str) -> str:
    """Start a new line at a space-separated 一、 or （一） enumerator."""
    return _INLINE_ITEM.sub("\n", text)


# ---------------------------------------------------------------- pipelines
def normalize_text(text: str) -> tuple[str, str]:
    """The document pipeline: glosses, script, width, debris, whitespace.

    Returns the normalized text and the source script (simplified/traditional).
    """
    text = break_inline_items(strip_bbcode(unicodedata.normalize("NFC", text)))
    text, _ = remove_pinyin_glosses(text)
    text, script = to_simplified(text)
    text = unify_punctuation(collapse_punctuation(text))
    return normalize_whitespace(text), script


def normalize_query(text: str) -> str:
    """Queries get the document pipeline too, so traditional input matches."""
    return normalize_text(text)[0]


_FOLD_DROP = re.compile(r"[\W_]+", re.UNICODE)


def nfkc(text: str) -> str:
    """NFKC, skipped when the text already is (the quick check is ~100x
    cheaper than normalizing, and most report text is)."""
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """The exact-match form: lower-case, no whitespace or punctuation.

    ``双随机、一公开`` and ``双随机一公开`` fold to the same string, which is
    what makes punctuation inside a quoted phrase irrelevant.
    """
    return _FOLD_DROP.sub("", nfkc(text).lower())


def is_punctuation_or_space(token: str) -> bool:
    """True when a token has no letter, digit or ideograph in it."""
    return not _FOLD_DROP.sub("", token)
