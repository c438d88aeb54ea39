"""Query strings are checked before any view runs.

Werkzeug decodes a malformed percent-escape (``%FF``) to U+FFFD and lets
control characters through; a query made of either is never what a user
typed, and passed on it would reach the parser, the logs and the CSV export.
Both get a 400 here, with the parameter named.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.exceptions import BadRequest

from govsearch.webui.contract import CONTROL

_CONTROL = re.compile(f"[{CONTROL}]")
# Bytes: a 500-character Chinese q is 4,500 percent-encoded, plus filters; the
# cap stays below gunicorn's 8,190-byte request line, so the app answers first.
MAX_QUERY_STRING = 8000


def check_query_string(raw: bytes) -> None:
    """Raise BadRequest for a query string that is not clean UTF-8 text."""
    if len(raw) > MAX_QUERY_STRING:
        raise BadRequest(f"查询字符串过长 (query string longer than {MAX_QUERY_STRING} bytes)")
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        for part in (name, value):
            try:
                text = unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError:
                label = name.decode("ascii", "replace")[:40]
                raise BadRequest(f"参数 {label} 不是合法的 UTF-8 (parameter {label} is not valid UTF-8)") from None
            if _CONTROL.search(text):
                label = name.decode("ascii", "replace")[:40]
                raise BadRequest(f"参数 {label} 含控制字符 (parameter {label} contains control characters)")


def register(app: Flask) -> None:
    @app.before_request
    def clean_query_string():
        check_query_string(request.query_string)
