"""The OpenAPI 3 description of the JSON API (served at /api/openapi.json).

Every pattern, enum and range here is the one the server checks
(webui.contract), so the spec accepts exactly what the server accepts; the
test suite runs schemathesis with every check against a live server.
"""

from __future__ import annotations

from typing import Any

from govsearch.search.citation import STYLES
from govsearch.search.compare import SECTION_KINDS
from govsearch.search.diffusion import FIRST_REPORT, ORDERS
from govsearch.search.dimensions import DIMENSIONS, UNITS
from govsearch.search.export import FORMATS as EXPORT_FORMATS
from govsearch.search.export import PARQUET_TYPE
from govsearch.search.kwic import SORTS as KWIC_SORTS
from govsearch.search.panel import PANEL_FIELDS
from govsearch.search.query import MAX_QUERY_LENGTH, SORTS
from govsearch.search.records import hit_schema, line_schema, report_schema
from govsearch.webui.contract import INTS, ISSUER_KEY, MAX_TERMS_LENGTH, PATTERNS

CONCORDANCE_FORMATS = ("json", "csv")
TABLE_FORMATS = ("json", "csv", "jsonl", "parquet")


def _param(name: str, schema: dict[str, Any], description: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, "description": description}


def _text(name: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "pattern": PATTERNS[name], **extra}


def _int(name: str) -> dict[str, Any]:
    bounds = INTS[name]
    return {"type": "integer", "minimum": bounds.lo, "maximum": bounds.hi}


def _enum(values) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


def _ref(component: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{component}"}


# A flag: true/false (or 1/0, as the pages' links send them).
FLAG = {"type": "boolean"}


def _search_params(q_required: bool = True) -> list[dict[str, Any]]:
    return [
        _param("q", _text("q", minLength=1, maxLength=MAX_QUERY_LENGTH),
               "query: words, \"exact phrases\", OR, -exclusion, year:/level:/province:/section:/type:. "
               "A query the language cannot read (an unbalanced quote, an unknown field, nothing searchable) "
               "is a 400 whose message says what to fix." + ("" if q_required else " Optional here: without "
                                                                  "it, every report the filters select."),
               q_required),
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
        _param("issuer_key", _text("issuer_key"), "issuer key(s) (150821:政府, 150821:部门:司法局): one body's "
                                                  "reports across years, comma-separated; none: unknown"),
        _param("exact", FLAG, "measure lookup: every term exact, ranked by occurrences"),
        _param("expand", FLAG, "also look up aliases from seeds/aliases.toml"),
        _param("collapse", FLAG, "collapse near-duplicates (default true)"),
        _param("page", _int("page"), "page number"),
        _param("per_page", _int("per_page"), "results per page"),
    ]


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json(_ref("Error"))}


# Answers any operation can give besides its own.
_ERRORS = {"400": _error("bad request: the message says which parameter and what it accepts"),
           "429": _error("rate limit exceeded (when the server runs with --rate-limit)")}
_WORK_ERRORS = {**_ERRORS, "503": _error("the request ran past the server's time budget (serve --deadline)")}


def _get(operation: str, summary: str, params: list[dict[str, Any]], content: dict[str, Any],
         errors: dict[str, Any] = _WORK_ERRORS, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"get": {"operationId": operation, "summary": summary, "parameters": params,
                    "responses": {"200": {"description": "OK", "content": content}, **errors, **(extra or {})}}}


def _page(name: str, component: str, **extra: Any) -> dict[str, Any]:
    """A page of one component (hits, lines), with the links to the pages beside it."""
    link = {"type": "string", "nullable": True,
            "description": "this request at the neighbouring page (a path and query relative to the server); "
                           "null at the end"}
    return {"type": "object", "required": [name, "total", "page", "per_page", "next", "prev"],
            "properties": {"query": {"type": "string"}, name: {"type": "array", "items": _ref(component)},
                           "total": {"type": "integer"}, "page": {"type": "integer"},
                           "per_page": {"type": "integer"}, "next": link, "prev": link, **extra}}


def _components() -> dict[str, Any]:
    """Every answer's schema: the records from search.records, the pages and rows around them."""
    count = {"type": "integer"}
    facet = {"type": "object", "required": ["value", "count"], "properties": {
        "value": {"nullable": True, "description": "a year (integer) or a name; null: the 未识别 bucket"},
        "count": count}}
    return {
        "Report": report_schema(), "ReportPage": _report_page(), "Hit": hit_schema(),
        "ConcordanceLine": line_schema(), "Facet": facet,
        "SearchPage": _page("hits", "Hit", sort={"type": "string"}, collapse={"type": "boolean"},
                            took_ms={"type": "number"}, parsed={"type": "object"},
                            facets={"type": "object", "additionalProperties": {"type": "array",
                                                                                "items": _ref("Facet")}},
                            facet_values={"type": "object", "additionalProperties": count}),
        "ConcordancePage": _page("lines", "ConcordanceLine", reports=count, sort={"type": "string"},
                                 width=count),
        "TrendRow": {"type": "object", "required": ["year", "reports", "occurrences", "total", "share"],
                     "properties": {"year": {"type": "integer", "nullable": True,
                                             "description": "the year reported on; null: 未识别"},
                                    "reports": count, "occurrences": count, "total": count,
                                    "share": {"type": "number"}}},
        "Trend": {"type": "object", "required": ["query", "years"],
                  "properties": {"query": {"type": "string"}, "years": {"type": "array", "items": _ref("TrendRow")}}},
        "Stats": {"type": "object", "required": ["reports"],
                  "properties": {"reports": count, "meta": {"type": "object", "nullable": True},
                                 "warnings": {"type": "array", "items": {"type": "string"}}}},
        **_instrument_components(),
        **_source_components(),
        "Error": {"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
    }


_TABLE_CONTENT = {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}},
                  PARQUET_TYPE: {"schema": {"type": "string", "format": "binary"}}}


def _table_format() -> dict[str, Any]:
    return _param("format", _enum(TABLE_FORMATS), "json (default); csv, jsonl or parquet: the whole table")


def _instrument_paths() -> dict[str, Any]:
    """The research instruments (webui.instruments_api)."""
    return {
        "/api/distribution": _get("distribution", "Matching reports, occurrences, all reports and share per cell "
                                  "of one or two dimensions", [
            *_search_params(q_required=False),
            _param("by", _text("by"), f"one or two of {', '.join(DIMENSIONS)}, comma-separated (default province)"),
            _table_format()], {**_json(_ref("Distribution")), **_TABLE_CONTENT}),
        "/api/diffusion": _get("diffusion", "Each place's first year mentioning the query, and the adoption "
                               "curve", [
            *_search_params(), _param("unit", _enum(UNITS), "places: province (default), city or county"),
            _param("order", _enum(ORDERS), "order of places: first_year (earliest adopter first, default), "
                                           "place, mentioning or reports (most first)"),
            _param("page", _int("page"), "page of places"), _param("per_page", _int("per_page"), "places a page"),
            _table_format()], {**_json(_ref("Diffusion")), **_TABLE_CONTENT}),
        "/api/panel": _get("panel", "One row per report, one count column per term", [
            *_search_params(q_required=False),
            _param("terms", _text("terms", maxLength=MAX_TERMS_LENGTH), "terms separated by | (A|B|C), each "
                                                                       "counted whole as the concordance counts",
                   True),
            _table_format()], {**_json(_ref("Panel")), **_TABLE_CONTENT}),
        "/api/collocates": _get("collocates", "Words most associated with the query within window characters "
                                "of its occurrences, by log-likelihood (G²), with MI", [
            *_search_params(), _param("window", _int("window"), "characters either side (default 5)"),
            _param("limit", _int("limit"), "words to return (default 50)"),
            _param("min_freq", _int("min_freq"), "only words at least this often near the query (default 2)"),
            _table_format()], {**_json(_ref("Collocates")), **_TABLE_CONTENT}),
        "/api/keyness": _get("keyness", "Words over- and under-represented in the reports of query a against "
                             "those of query b, by G² and log ratio", [
            _param("a", _text("a", maxLength=MAX_QUERY_LENGTH), "side A: a query (year:2023, level:县级 营商环境)",
                   True),
            _param("b", _text("b", maxLength=MAX_QUERY_LENGTH), "side B: a query", True),
            *[p for p in _search_params(q_required=False) if p["name"] != "q"],
            _param("limit", _int("limit"), "words each way (default 50)"),
            _param("min_freq", _int("min_freq"), "only words at least this often on their side (default 3)"),
            _table_format()], {**_json(_ref("Keyness")), **_TABLE_CONTENT}),
        "/api/terms/candidates": _get("termCandidates", "Phrases that look like named measures and are not in the "
                                      "dictionary (quoted names, X+Y, 一X一Y, place + 经验/模式)", [
            *_search_params(q_required=False),
            _param("limit", _int("limit"), "candidates to return (default 100)"),
            _param("min_reports", _int("min_reports"), "only phrases in at least this many reports (default 2)"),
            _table_format()], {**_json(_ref("Candidates")), **_TABLE_CONTENT}),
    }


_REPORT_ID = {"name": "report_id", "in": "path", "required": True,
              "schema": {"type": "string", "pattern": "^[0-9a-f]{40}$"}}
_MOVED = {"301": {"description": "an earlier id of a report: Location names its current one"},
          "404": _error("no such report")}


def _source_paths() -> dict[str, Any]:
    """One report as a source (webui.sources_api)."""
    return {
        "/api/reports/{report_id}/cite": _get("citeReport", "The report cited in one style (the access date is "
                                              "the capture date for a crawled report)", [
            _REPORT_ID, _param("style", _enum(STYLES), "gbt7714 (GB/T 7714-2015, default), bibtex, ris or csl "
                                                       "(CSL-JSON: an object)")],
            _json(_ref("Citation")), extra=_MOVED),
        "/api/reports/{report_id}/compare": _get("compareReports", "Sentences and named measures new, gone and "
                                                 "kept against another report (default: the issuer's previous "
                                                 "year), by fuzzy sentence alignment", [
            _REPORT_ID, _param("with", {"type": "string", "pattern": "^[0-9a-f]{40}$"},
                               "the other report's id (default: the same issuer's latest earlier report)")],
            _json(_ref("Comparison")), extra=_MOVED),
        "/api/issuers/{key}": _get("issuer", "An issuer's reports across years", [
            {"name": "key", "in": "path", "required": True, "schema": {"type": "string", "pattern": ISSUER_KEY},
             "description": "ADCODE:KIND[:NAME], e.g. 150821:政府 or 150821:部门:司法局 (a report's issuer_key)"}],
            _json(_ref("Issuer"))),
    }


def _source_components() -> dict[str, Any]:
    text, count = {"type": "string", "nullable": True}, {"type": "integer"}
    listed = {"type": "object", "properties": {"id": {"type": "string"}, "title": text,
                                               "report_year": {"type": "integer", "nullable": True},
                                               "publish_date": text, "doc_type": text, "publisher": text,
                                               "duplicate_of": text, "url": text}}
    line = {"type": "object", "properties": {"text": {"type": "string"}, "start": count, "section": {
        "type": "string", "enum": list(SECTION_KINDS)}}}
    lists = {"type": "object", "properties": {"kind": {"type": "string", "enum": list(SECTION_KINDS)},
                                              "new": {"type": "array", "items": line},
                                              "gone": {"type": "array", "items": line},
                                              "kept": {"type": "array", "items": {"type": "object", "properties": {
                                                  "this": line, "other": line, "similarity": {"type": "number"}}}}}}
    measure_list = {"type": "array", "items": {"type": "object", "properties": {
        "measure": {"type": "string"}, "this": count, "other": count}}}
    return {
        "IssuerReport": listed,
        "Issuer": {"type": "object", "required": ["key", "reports"], "properties": {
            "key": {"type": "string"}, "name": {"type": "string"}, "adcode": text, "issuer_kind": {"type": "string"},
            "own_name": text, "reports": {"type": "array", "items": _ref("IssuerReport")},
            "years": {"type": "array", "items": count}}},
        "Citation": {"type": "object", "required": ["id", "style", "citation"], "properties": {
            "id": {"type": "string"}, "style": {"type": "string", "enum": list(STYLES)},
            "permalink": {"type": "string"},
            "citation": {"description": "the citation's text; for csl a CSL-JSON object"}}},
        "Comparison": {"type": "object", "required": ["this", "other", "sentences", "sections", "measures"],
                       "properties": {
            "this": {"type": "object"}, "other": {"type": "object"}, "same_issuer": {"type": "boolean"},
            "sentences": {"type": "object", "description": "this, other, kept, new, gone: sentence counts"},
            "sections": {"type": "array", "items": lists},
            "measures": {"type": "object", "properties": {"new": measure_list, "gone": measure_list,
                                                          "kept": measure_list}},
            "similarity_threshold": {"type": "number"}}},
        "Archive": {"type": "object", "nullable": True, "description": "a crawled report's WARC record", "properties": {
            "warc_file": {"type": "string"}, "record_id": {"type": "string"}, "offset": count,
            "captured_at": text}},
    }


def _report_page() -> dict[str, Any]:
    """/api/reports/<id>: the record (its archive as answers give it), then what makes it a source."""
    record = report_schema()
    return {**record, "properties": {
        **record["properties"], "archive": _ref("Archive"), "permalink": {"type": "string"},
        "issuer": {"type": "object", "nullable": True, "properties": {
            "key": {"type": "string"}, "name": {"type": "string"},
            "reports": {"type": "array", "items": _ref("IssuerReport")},
            "previous": {"type": "string", "nullable": True}}},
        "citations": {"type": "object", "description": "the citation in every style (csl: an object)"},
        "versions": {"type": "array", "items": {"type": "object"}}}}


def _collocates_schema(count: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": ["collocates"], "properties": {
        "query": {"type": "string"}, "window": count, "min_freq": count, "lines_used": count,
        "lines_total": {"type": "integer", "nullable": True,
                        "description": "the query's lines in the selection; null unless every report was read"},
        "reports_used": count, "reports_total": {**count, "description": "matching reports in the selection"},
        "complete": {"type": "boolean", "description": "every line of the query was read"},
        "window_tokens": count, "reference": {"type": "object"},
        "collocates": {"type": "array", "items": _ref("Collocate")}}}


def _instrument_components() -> dict[str, Any]:
    count, share, text = {"type": "integer"}, {"type": "number"}, {"type": "string", "nullable": True}
    cell = {"type": "object", "required": ["reports", "occurrences", "total", "share"],
            "description": "the by dimensions' values under their names (null: 未识别), then the counts",
            "additionalProperties": True,
            "properties": {"reports": count, "occurrences": count, "total": count, "share": share}}
    first = {"type": "object", "properties": {name: ({"type": "integer", "nullable": True}
                                                     if name == "report_year" else text)
                                              for name in FIRST_REPORT}}
    place = {"type": "object", "required": ["place", "first_year", "mentioning", "reports", "first_report"],
             "properties": {"place": {"type": "string"}, "first_year": count, "mentioning": count,
                            "reports": count, "first_report": first}}
    point = {"type": "object", "required": ["year", "adopted", "reporting", "adopted_reporting", "share"],
             "properties": {"year": count, "adopted": count, "reporting": count, "adopted_reporting": count,
                            "share": share}}
    return {
        "DistributionCell": cell,
        "Distribution": {"type": "object", "required": ["query", "by", "rows"], "properties": {
            "query": {"type": "string"}, "by": {"type": "array", "items": {"type": "string"}},
            "collapse": {"type": "boolean"}, "rows": {"type": "array", "items": _ref("DistributionCell")}}},
        "Adoption": place, "AdoptionYear": point,
        "Diffusion": _page("places", "Adoption", unit={"type": "string"}, undated=count,
                           curve={"type": "array", "items": _ref("AdoptionYear")}),
        "PanelRow": {"type": "object", "additionalProperties": True,
                     "description": "the report's fields, then one count per term under the term's name",
                     "properties": {name: ({"type": "integer", "nullable": True} if name == "report_year" else text)
                                    for name in PANEL_FIELDS}},
        "Panel": _page("rows", "PanelRow", terms={"type": "array", "items": {"type": "string"}}),
        "Candidate": {"type": "object", "required": ["phrase", "key", "reports", "occurrences"], "properties": {
            "phrase": {"type": "string", "description": "its most frequent spelling"},
            "key": {"type": "string", "description": "the folded form all spellings share"},
            "shape": {"type": "string", "description": "quoted, plus, paired or place"},
            "reports": count, "occurrences": count,
            "first_year": {"type": "integer", "nullable": True}, "provinces": count,
            "example_id": {"type": "string"}, "example_title": text,
            "variants": {"type": "array", "items": {"type": "string"}}}},
        "Collocate": {"type": "object", "required": ["word", "freq", "g2"], "properties": {
            "word": {"type": "string"}, "freq": {**count, "description": "occurrences within the windows"},
            "reports": count, "reference_freq": {**count, "description": "occurrences in the reference"},
            "expected": {"type": "number"}, "mi": {"type": "number"}, "g2": {"type": "number"}}},
        "Collocates": _collocates_schema(count),
        "Keyword": {"type": "object", "required": ["word", "freq_a", "freq_b", "g2", "log_ratio"], "properties": {
            "word": {"type": "string"}, "freq_a": count, "freq_b": count, "docs_a": count, "docs_b": count,
            "g2": {"type": "number"}, "log_ratio": {"type": "number"}}},
        "KeynessSide": {"type": "object", "properties": {
            "query": {"type": "string"}, "reports": count, "tokens": count, "tokens_exact": {"type": "boolean"},
            "sampled_reports": count}},
        "Keyness": {"type": "object", "required": ["a", "b", "over", "under"], "properties": {
            "a": _ref("KeynessSide"), "b": _ref("KeynessSide"), "min_freq": count, "min_share": {"type": "number"},
            "candidates": count, "over": {"type": "array", "items": _ref("Keyword")},
            "under": {"type": "array", "items": _ref("Keyword")}}},
        "Candidates": {"type": "object", "required": ["reports", "candidates"], "properties": {
            "query": {"type": "string"}, "reports": count, "min_reports": count, "limit": count,
            "candidates": {"type": "array", "items": _ref("Candidate")}}},
    }


def spec(server: str = "") -> dict[str, Any]:
    """The document; ``server`` is the configured public URL (never the
    Host header a client sent), else none."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "govsearch API", "version": "1",
                 "description": "Full-text search over Chinese government reports. A parameter an endpoint "
                                "does not list here is a 400 naming the nearest one it does; so is a "
                                "single-valued parameter given twice, and an empty value."},
        "servers": [{"url": server}] if server else [],
        "paths": {
            "/api/search": _get("search", "Ranked, highlighted, faceted search", [
                *_search_params(), _param("sort", _enum(SORTS), "order of hits")], _json(_ref("SearchPage"))),
            "/api/concordance": _get("concordance", "Every occurrence with its context (KWIC)", [
                *_search_params(),
                _param("sort", _enum(KWIC_SORTS), "order of lines; left/right sort by the context as exact "
                                                  "lookup folds it (letters, digits and ideographs, lower-cased, "
                                                  "punctuation skipped) within the paragraph, the left read right "
                                                  "to left; they hold a bounded number of lines and refuse larger "
                                                  "concordances with a 400"),
                _param("width", _int("width"), "context characters"),
                _param("near", _text("near", maxLength=MAX_QUERY_LENGTH), "only the lines with this word within "
                                                                         "window characters of the match"),
                _param("window", _int("window"), "characters either side that count as near (default 5)"),
                _param("format", _enum(CONCORDANCE_FORMATS), "json (default) or csv (streamed)"),
            ], {**_json(_ref("ConcordancePage")), "text/csv": {"schema": {"type": "string"}}}),
            "/api/trend": _get("trend", "Matching reports and occurrences per report year", _search_params(),
                               _json(_ref("Trend"))),
            "/api/export": _get("export", "All hits with their metadata, streamed", [
                *_search_params(),
                _param("format", _enum(EXPORT_FORMATS), "csv (UTF-8 with BOM, default), jsonl, or parquet "
                                                        "(typed columns: the year an integer, ids and codes text)"),
            ], {"text/csv": {"schema": {"type": "string"}}, "application/x-ndjson": {"schema": {"type": "string"}},
                PARQUET_TYPE: {"schema": {"type": "string", "format": "binary"}}}),
            **_instrument_paths(),
            "/api/reports/{report_id}": _get("getReport", "The full cleaned record of one report (an id it had "
                                             "before answers 301 to its current one)", [_REPORT_ID],
                _json(_ref("ReportPage")), extra=_MOVED),
            **_source_paths(),
            "/api/stats": _get("stats", "Index size, version and build parameters", [], _json(_ref("Stats")),
                               _ERRORS),
            "/api/openapi.json": _get("openapi", "This document", [], _json({"type": "object"}), _ERRORS),
        },
        "components": {"schemas": _components()},
    }


def type_text(schema: dict[str, Any]) -> str:
    """A schema as the reference page writes it: a component's name, the
    enum's values, an integer's range, a list of what; "or null" when nullable."""
    if "$ref" in schema:
        text = schema["$ref"].rsplit("/", 1)[-1]
    elif "enum" in schema:
        text = " | ".join(schema["enum"])
    elif schema.get("type") == "array":
        text = f"[{type_text(schema.get('items', {}))}]"
    elif schema.get("type") == "integer" and "minimum" in schema:
        text = f"integer {schema['minimum']}–{schema['maximum']}"
    elif schema.get("type") == "boolean":
        text = "true | false (or 1 | 0)"
    else:
        text = schema.get("type", "any")
    return text + (" or null" if schema.get("nullable") else "")


def reference(document: dict[str, Any]) -> dict[str, Any]:
    """The document flattened for /api/docs: each operation with its
    parameters and answers, each component with its fields."""
    operations = []
    for path, item in document["paths"].items():
        op = item["get"]
        operations.append({
            "path": path, "id": op["operationId"], "summary": op["summary"],
            "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                            "type": type_text(p["schema"]), "pattern": p["schema"].get("pattern", ""),
                            "description": p.get("description", "")} for p in op["parameters"]],
            "responses": [{"code": code, "description": r["description"],
                           "types": ", ".join(f"{kind}: {type_text(c['schema'])}"
                                              for kind, c in r.get("content", {}).items())}
                          for code, r in op["responses"].items()]})
    components = [{"name": name, "fields": [{"name": field, "type": type_text(schema),
                                             "required": field in component.get("required", ()),
                                             "description": schema.get("description", "")}
                                            for field, schema in component.get("properties", {}).items()]}
                  for name, component in document["components"]["schemas"].items()]
    return {"title": document["info"]["title"], "description": document["info"]["description"],
            "operations": operations, "components": components}
