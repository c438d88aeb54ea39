"""Bytes to text: honour the declared charset, then try the common ones.

Chinese government pages are UTF-8, GBK or GB18030, often mislabelled.  A page
that none of them reads whole may still be text with a few damaged bytes (a
character cut by a bad copy, a stray byte): it is read in the encoding that
leaves the fewest bytes over, each of those becoming U+FFFD, and the count is
reported.  Only a file that is mostly undecodable raises :class:`DecodeError`,
which ingest reports for that file alone - one bad file never stops a batch.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
# Superset encodings: a page that says gb2312 is almost always GBK in fact.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
             "big5": "big5hkscs", "iso-8859-1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def declared_charset(data: bytes) -> str:
    """The charset a page declares in its first 4 KB, normalised, or ``""``."""
    m = _DECLARED.search(data[:4096])
    if not m:
        return ""
    name = m.group(1).decode("ascii", "ignore").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return ""
    return _SUPERSET.get(name, name)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control bytes in the head mean this is not text."""
    head = data[:4096]
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bool(head) and controls / len(head) > 0.05


class Decoded(NamedTuple):
    text: str
    encoding: str
    replaced: int = 0  # undecodable bytes, each now U+FFFD


# A text may have this share of its bytes undecodable and still be read
# (with U+FFFD); more, and it is not text in that encoding.  1% keeps a
# damaged character per paragraph and refuses a GBK page read as UTF-8,
# where half the bytes or more fail.
MAX_REPLACED_SHARE = 0.01
_MARK = "govsearch.mark"


def _mark(error: UnicodeDecodeError) -> tuple[str, int]:
    """One lone surrogate per undecodable byte: no decoder yields these from
    valid input, so they count exactly the bytes that were replaced."""
    return "".join(chr(0xDC00 + b) for b in error.object[error.start:error.end]), error.end


codecs.register_error(_MARK, _mark)
_MARKED = re.compile("[\udc00-\udcff]")


def _tolerant(data: bytes, encoding: str) -> Decoded | None:
    """``data`` in ``encoding`` with undecodable bytes as U+FFFD, or None
    for an encoding Python does not know."""
    try:
        marked = data.decode(encoding, _MARK)
    except LookupError:
        return None
    text, replaced = _MARKED.subn("\ufffd", marked)
    return Decoded(text, encoding, replaced)


def decode_bytes(data: bytes, declared: str = "") -> Decoded:
    """Decode ``data``; return (text, encoding used, bytes replaced).

    ``declared`` is a charset from outside the bytes (an HTTP header); the
    page's own ``<meta charset>`` comes next, then UTF-8 and GB18030.  When
    none reads every byte, the one that reads the most is used if at most
    MAX_REPLACED_SHARE of the bytes are left over.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _least_damaged(data, [encoding])
    if looks_binary(data):
        raise DecodeError("binary content (NUL or control bytes), not a text or HTML page")
    candidates: list[str] = []
    for name in (declared.lower(), declared_charset(data), "utf-8", "gb18030"):
        name = _SUPERSET.get(name, name)
        if name and name not in candidates:
            candidates.append(name)
    for encoding in candidates[:-1]:
        try:
            return Decoded(data.decode(encoding), encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    detected = detect_charset(data)
    if detected:
        try:
            return Decoded(data.decode(detected), detected)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        pass
    return _least_damaged(data, [*candidates, detected] if detected else candidates)


def _least_damaged(data: bytes, encodings: list[str]) -> Decoded:
    """The reading that replaces the fewest bytes (the first on a tie: the
    order is the evidence's), if few enough; else DecodeError."""
    readings = [r for r in (_tolerant(data, e) for e in dict.fromkeys(encodings)) if r is not None]
    best = min(readings, key=lambda r: r.replaced)
    if best.replaced <= MAX_REPLACED_SHARE * len(data):
        return best
    raise DecodeError(f"无法解码: 即使按 {best.encoding}，也有 {best.replaced} 个字节 "
                      f"({best.replaced / len(data):.1%}) 无法解码 (not text: in the closest encoding, "
                      f"{best.encoding}, {best.replaced} of {len(data)} bytes ({best.replaced / len(data):.1%}) "
                      f"are undecodable; at most {MAX_REPLACED_SHARE:.0%} are replaced; tried "
                      f"{', '.join(dict.fromkeys(encodings))})")


def detect_charset(data: bytes) -> str:
    """charset-normalizer's best guess, or "" when it has none (Big5 pages,
    Latin-1 mislabelled pages …)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return ""
    name = best.encoding.replace("_", "-").lower()
    return _SUPERSET.get(name, name)
