"""Query strings are checked before any view runs.

Werkzeug decodes a malformed percent-escape (``%FF``) to U+FFFD and lets
control characters through; a query made of either is never what a user
typed, and passed on it would reach the parser, the logs and the CSV export.
Both get a 400 here, with the parameter named.

The API is strict about names too: a misspelt filter (``levle=县级``) that
was ignored returned the unfiltered set, which then went into a paper.  An
API parameter that the endpoint does not publish in /api/openapi.json is a
400 naming it and the nearest known one; a single-valued one given twice is
a 400.
"""

from __future__ import annotations

import difflib
import functools
import re
from urllib.parse import unquote_to_bytes

from flask import Flask, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from govsearch.search.query import QueryError
from govsearch.webui.contract import CONTROL, LISTS

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


@functools.cache
def published_parameters() -> dict[str, tuple[str, ...]]:
    """Each API path's query parameters, as /api/openapi.json publishes them."""
    from govsearch.webui.openapi import spec

    return {path: tuple(p["name"] for p in operation["get"]["parameters"] if p["in"] == "query")
            for path, operation in spec()["paths"].items()}


def _path_template(rule: str) -> str:
    """A Flask rule as OpenAPI writes it: /api/reports/<report_id> → /api/reports/{report_id}."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def check_parameters(path: str, args: MultiDict) -> None:
    """Raise QueryError for a parameter ``path`` does not take, or a
    single-valued one given more than once."""
    known = published_parameters().get(path)
    if known is None:
        return
    for name in args:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            hint = f"，是否想用 {near[0]}？" if near else ""
            allowed = "、".join(known) or "无参数"
            raise QueryError(f"未知参数 {name[:40]}{hint}（可用：{allowed}）(unknown parameter {name[:40]!r}"
                             + (f"; did you mean {near[0]!r}?" if near else "") + ")")
        if name not in LISTS and len(values := args.getlist(name)) > 1:
            raise QueryError(f"参数 {name} 只能给一次，收到 {len(values)} 个值 (parameter {name} takes one value, "
                             f"got {len(values)})")


def register(app: Flask) -> None:
    @app.before_request
    def clean_query_string():
        check_query_string(request.query_string)
        if request.url_rule is not None and request.path.startswith("/api/"):
            check_parameters(_path_template(request.url_rule.rule), request.args)
