"""The OpenAPI 3 description of the JSON API (served at /api/openapi.json).

Every pattern, enum and range here is the one the server checks
(webui.contract), so the spec accepts exactly what the server accepts; the
test suite runs schemathesis with every check against a live server.
"""

from __future__ import annotations

from typing import Any

from govsearch.search.export import FORMATS as EXPORT_FORMATS
from govsearch.search.kwic import SORTS as KWIC_SORTS
from govsearch.search.query import MAX_QUERY_LENGTH, SORTS
from govsearch.search.records import hit_schema, line_schema, report_schema
from govsearch.webui.contract import FLAGS, INTS, PATTERNS

CONCORDANCE_FORMATS = ("json", "csv")


def _param(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _text(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "pattern": PATTERNS[name], **extra}


def _int(name: str) -> dict[str, Any]:
    bounds = INTS[name]
    return {"type": "integer", "minimum": bounds.lo, "maximum": bounds.hi}


def _enum(values) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _search_params() -> list[dict[str, Any]]:
    return [
        _param("q", _text("q", minLength=1, maxLength=MAX_QUERY_LENGTH),
               "query: words, \"exact phrases\", OR, -exclusion, year:/level:/province:/section:/type:. "
               "A query the language cannot read (an unbalanced quote, an unknown field, nothing searchable) "
               "is a 400 whose message says what to fix.", True),
        _param("year", _text("year"), "report year(s) or ranges (2020-2022), comma-separated; none: the reports "
                                      "of no known year"),
        _param("level", _text("level"), "administrative level(s), comma-separated (县级 or 县); none: unknown"),
        _param("issuer_kind", _text("issuer_kind"), "kind(s) of issuer (政府, 部门, 党委, 其他), comma-separated; "
                                                    "none: unknown"),
        _param("province", _text("province"), "province name(s) or prefixes, comma-separated; none: unknown"),
        _param("city", _text("city"), "city name(s) or prefixes, comma-separated; none: unknown"),
        _param("county", _text("county"), "county or district name(s) or prefixes, comma-separated; none: unknown"),
        _param("adcode", _text("adcode"), "division code(s) or their leading digits (33: 浙江, 3301: 杭州), "
                                          "comma-separated; none: unknown"),
        _param("doc_type", _text("doc_type"), "document type(s), comma-separated"),
        _param("exact", _enum(FLAGS), "measure lookup: every term exact, ranked by occurrences"),
        _param("expand", _enum(FLAGS), "also look up aliases from seeds/aliases.toml"),
        _param("collapse", _enum(FLAGS), "collapse near-duplicates (default 1)"),
        _param("page", _int("page"), "page number"),
        _param("per_page", _int("per_page"), "results per page"),
    ]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json({"$ref": "#/components/schemas/Error"})}


# Answers any operation can give besides its own.
_ERRORS = {"400": _error("bad request: the message says which parameter and what it accepts"),
           "429": _error("rate limit exceeded (when the server runs with --rate-limit)")}
_WORK_ERRORS = {**_ERRORS, "503": _error("the request ran past the server's time budget (serve --deadline)")}


def _get(summary: str, params: list[dict[str, Any]], content: dict[str, Any],
         errors: dict[str, Any] = _WORK_ERRORS, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": params,
                    "responses": {"200": {"description": "OK", "content": content}, **errors, **(extra or {})}}}


def _with_list(name: str, component: str) -> dict[str, Any]:
    """A page of one component (hits, lines), with the links to the pages beside it."""
    link = {"type": "string", "nullable": True,
            "description": "this request at the neighbouring page (a path and query relative to the server); "
                           "null at the end"}
    return {"type": "object", "required": [name, "next", "prev"],
            "properties": {name: {"type": "array", "items": {"$ref": f"#/components/schemas/{component}"}},
                           "total": {"type": "integer"}, "page": {"type": "integer"},
                           "per_page": {"type": "integer"}, "next": link, "prev": link}}


def spec(server: str = "") -> dict[str, Any]:
    """The document; ``server`` is the configured public URL (never the
    Host header a client sent), else none."""
    obj = {"type": "object"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "govsearch API", "version": "1",
                 "description": "Full-text search over Chinese government reports. A parameter an endpoint "
                                "does not list here is a 400 naming the nearest one it does; so is a "
                                "single-valued parameter given twice, and an empty value."},
        "servers": [{"url": server}] if server else [],
        "paths": {
            "/api/search": _get("Ranked, highlighted, faceted search", [
                *_search_params(), _param("sort", _enum(SORTS), "order of hits")],
                _json(_with_list("hits", "Hit"))),
            "/api/concordance": _get("Every occurrence with its context (KWIC)", [
                *_search_params(),
                _param("sort", _enum(KWIC_SORTS), "order of lines; left/right sorts hold a bounded number "
                                                  "of lines and refuse larger concordances with a 400"),
                _param("width", _int("width"), "context characters"),
                _param("format", _enum(CONCORDANCE_FORMATS), "json (default) or csv (streamed)"),
            ], {**_json(_with_list("lines", "ConcordanceLine")), "text/csv": {"schema": {"type": "string"}}}),
            "/api/trend": _get("Matching reports and occurrences per report year", _search_params(), _json(obj)),
            "/api/export": _get("All hits with their metadata, streamed", [
                *_search_params(),
                _param("format", _enum(EXPORT_FORMATS), "csv (UTF-8 with BOM, default) or jsonl"),
            ], {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}}),
            "/api/reports/{report_id}": _get("The full cleaned record of one report (an id it had before "
                                             "answers 301 to its current one)", [
                {"name": "report_id", "in": "path", "required": True,
                 "schema": {"type": "string", "pattern": "^[0-9a-f]{40}$"}}],
                _json({"$ref": "#/components/schemas/Report"}),
                extra={"301": {"description": "an earlier id of a report: Location names its current one"},
                       "404": _error("no such report")}),
            "/api/stats": _get("Index size, version and build parameters", [], _json(obj), _ERRORS),
            "/api/openapi.json": _get("This document", [], _json(obj), _ERRORS),
        },
        "components": {"schemas": {"Report": report_schema(), "Hit": hit_schema(), "ConcordanceLine": line_schema(),
                                   "Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "object", "required": ["code", "message"],
                                     "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}},
    }
