"""Bytes to text: honour the declared charset, then try the common ones.

Chinese government pages are UTF-8, GBK or GB18030, often mislabelled.  A file
that decodes under none of them raises :class:`DecodeError`, which ingest
reports for that file alone - one bad file never stops a batch.
"""

from __future__ import annotations

import codecs
import re

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


def decode_bytes(data: bytes, declared: str = "") -> tuple[str, str]:
    """Decode ``data``; return (text, encoding used).

    ``declared`` is a charset from outside the bytes (an HTTP header); the
    page's own ``<meta charset>`` comes next, then UTF-8 and GB18030.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding), encoding
    if looks_binary(data):
        raise DecodeError("binary content (NUL or control bytes), not a text or HTML page")
    candidates: list[str] = []
    for name in (declared.lower(), declared_charset(data), "utf-8", "gb18030"):
        name = _SUPERSET.get(name, name)
        if name and name not in candidates:
            candidates.append(name)
    for encoding in candidates[:-1]:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    detected = detect_charset(data)
    if detected:
        try:
            return data.decode(detected), detected
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    raise DecodeError(f"not valid text in any of: {', '.join([*candidates, detected or 'detection'])}")


def detect_charset(data: bytes) -> str:
    """charset-normalizer's best guess, or "" when it has none (Big5 pages,
    Latin-1 mislabelled pages …)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    if best is None:
        return ""
    name = best.encoding.replace("_", "-").lower()
    return _SUPERSET.get(name, name)
