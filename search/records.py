"""JSON schemas of the records the read path answers with, derived from the
record's one declaration (index.report), so the API's documented fields
cannot drift from the fields the index keeps."""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from govsearch.index.report import PRIVATE, Report, fields_in

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
            "properties": {f.name: json_schema(hints[f.name]) for f in dataclasses.fields(Report)
                           if f.name not in private}}

