"""The records the read path answers with, and their JSON schemas, derived
from the record's one declaration (index.report), so the API's documented
fields cannot drift from the fields the index keeps.

A value the index does not know is stored as ``""``; every answer (a hit,
a concordance line, an export row, the full record) gives it as ``null``,
so a script tests one thing for "missing"."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from govsearch.index.report import HIT, PRIVATE, Report, fields_in

# The one hit schema: what a search hit, an export row and a concordance line say of a report.
HIT_FIELDS = fields_in(HIT)


def public(record: Mapping[str, Any], names: Iterable[str] | None = None) -> dict[str, Any]:
    """``names`` of a record (default: all of it) as an answer gives them: missing is null."""
    return {name: None if (value := record.get(name)) == "" else value
            for name in (record.keys() if names is None else names)}

_SCALARS = {str: {"type": "string"}, int: {"type": "integer"}, bool: {"type": "boolean"},
            float: {"type": "number"}}


def json_schema(annotation: Any) -> dict[str, Any]:
    """An OpenAPI 3.0 schema for one field's annotation."""
    if annotation in _SCALARS:
        return dict(_SCALARS[annotation])
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return {**json_schema(inner), "nullable": True}
    if origin is list:
        return {"type": "array", "items": json_schema(args[0]) if args else {}}
    if origin is dict:
        return {"type": "object"}
    if dataclasses.is_dataclass(annotation):
        hints = typing.get_type_hints(annotation)
        return {"type": "object", "properties": {f.name: json_schema(hints[f.name])
                                                 for f in dataclasses.fields(annotation)}}
    return {}


def report_schema() -> dict[str, Any]:
    """The full record as /api/reports/<id> gives it (private fields aside)."""
    hints = typing.get_type_hints(Report)
    private = set(fields_in(PRIVATE))
    return {"type": "object", "required": ["id", "title", "text"],
            "properties": {f.name: _missing_is_null(f.name, json_schema(hints[f.name]))
                           for f in dataclasses.fields(Report) if f.name not in private}}


def _missing_is_null(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A field's schema as answers give it: any value but the id may be null (missing)."""
    return schema if name == "id" else {**schema, "nullable": True}



def hit_fields_schema() -> dict[str, dict[str, Any]]:
    """The hit schema's fields, each nullable (missing is null)."""
    hints = typing.get_type_hints(Report)
    return {name: _missing_is_null(name, json_schema(hints[name])) for name in HIT_FIELDS}


def hit_schema() -> dict[str, Any]:
    """A search hit: the hit schema's fields, then what the query adds."""
    return {"type": "object", "required": ["id"], "properties": {
        **hit_fields_schema(), "score": {"type": "number"}, "snippets": {"type": "array", "items": {"type": "string"}},
        "sections": {"type": "array", "items": {"type": "object"}},
        "duplicates": {"type": "integer", "description": "near-duplicates collapsed under this hit"},
        "occurrences": {"type": "integer", "description": "occurrences of the query (exact lookups)"}}}


def line_schema() -> dict[str, Any]:
    """A concordance line: its report's hit-schema fields, then the context."""
    return {"type": "object", "required": ["id", "left", "match", "right", "position"], "properties": {
        **hit_fields_schema(), "left": {"type": "string"}, "match": {"type": "string"},
        "right": {"type": "string"}, "position": {"type": "integer", "description": "character offset in the text"}}}
