"""The OpenAPI 3 description of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from typing import Any

from search.engine import MAX_PER_PAGE
from search.kwic import MAX_WIDTH
from search.kwic import SORTS as KWIC_SORTS
from search.query import DOC_TYPES, LEVELS, MAX_QUERY_LENGTH, SORTS


def _param(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _search_params(require_q: bool = True) -> list[dict[str, Any]]:
    flag = {"type": "string", "enum": ["0", "1"]}
    return [
        _param("q", {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
               "query: words, \"exact phrases\", OR, -exclusion, year:/level:/province:/section:/type:", require_q),
        _param("year", {"type": "string", "pattern": r"^\d{4}(,\d{4})*$"}, "report year(s), comma-separated"),
        _param("level", {"type": "string", "enum": list(LEVELS)}, "administrative level"),
        _param("province", {"type": "string"}, "province name or prefix"),
        _param("doc_type", {"type": "string", "enum": list(DOC_TYPES)}, "document type"),
        _param("exact", flag, "measure lookup: every term exact, ranked by occurrences"),
        _param("expand", flag, "also look up aliases from seeds/aliases.toml"),
        _param("page", {"type": "integer", "minimum": 1, "maximum": 1000}, "page number"),
        _param("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE}, "results per page"),
    ]


_ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}
_ERROR = {"description": "bad request", "content": {"application/json": {"schema": _ERROR_SCHEMA}}}


def _get(summary: str, params: list[dict[str, Any]], content: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"summary": summary, "parameters": params,
                    "responses": {"200": {"description": "OK", "content": content}, "400": _ERROR}}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def spec(server: str = "") -> dict[str, Any]:
    obj = {"type": "object"}
    return {
        "openapi": "3.0.3",
        "info": {"title": "govsearch API", "version": "1",
                 "description": "Full-text search over Chinese government reports."},
        "servers": [{"url": server}] if server else [],
        "paths": {
            "/api/search": _get("Ranked, highlighted, faceted search", [*_search_params(),
                _param("sort", {"type": "string", "enum": list(SORTS)}, "order of hits"),
                _param("collapse", {"type": "string", "enum": ["0", "1"]}, "collapse near-duplicates (default 1)"),
            ], _json(obj)),
            "/api/concordance": _get("Every occurrence with its context (KWIC)", [*_search_params(),
                _param("sort", {"type": "string", "enum": list(KWIC_SORTS)}, "order of lines"),
                _param("width", {"type": "integer", "minimum": 5, "maximum": MAX_WIDTH}, "context characters"),
                _param("format", {"type": "string", "enum": ["json", "csv"]}, "json (default) or csv"),
            ], {**_json(obj), "text/csv": {"schema": {"type": "string"}}}),
            "/api/trend": _get("Matching reports and occurrences per report year", _search_params(), _json(obj)),
            "/api/export": _get("All hits with their metadata, streamed", [*_search_params(),
                _param("format", {"type": "string", "enum": ["csv", "jsonl"]}, "csv (UTF-8 with BOM) or jsonl"),
            ], {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}}}),
            "/api/reports/{report_id}": {"get": {
                "summary": "The full cleaned record of one report",
                "parameters": [{"name": "report_id", "in": "path", "required": True,
                                "schema": {"type": "string", "pattern": "^[0-9a-f]{40}$"}}],
                "responses": {"200": {"description": "OK", "content": _json(obj)},
                              "404": {"description": "no such report",
                                      "content": _json({"$ref": "#/components/schemas/Error"})}}}},
            "/api/stats": {"get": {"summary": "Index size, version and build parameters",
                                   "responses": {"200": {"description": "OK", "content": _json(obj)}}}},
            "/api/openapi.json": {"get": {"summary": "This document",
                                          "responses": {"200": {"description": "OK", "content": _json(obj)}}}},
        },
        "components": {"schemas": {"Error": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "object", "required": ["code", "message"],
                                     "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}}},
    }
