"""Pydantic's validation errors in the contract's words: one plain string per problem,
naming the path as a reader of the JSON writes it (``body.prices[3].price: expected an
integer >= 0, got -5``), so a refused command's result says exactly what to fix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic_core import ErrorDetails

MAX_ERRORS = 20  # a result lists at most this many problems

_TYPES = {
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "string_type": "a string", "bool_type": "a boolean", "float_type": "a number",
    "list_type": "a list", "dict_type": "an object", "model_type": "an object",
    "model_attributes_type": "an object",
}  # fmt: skip


class SchemaError(ValueError):
    def __init__(self, kind: str, errors: list[str]) -> None:
        super().__init__(f"invalid {kind} payload: " + "; ".join(errors))
        self.errors = errors


def type_name(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", tuple: "a list", dict: "an object", type(None): "null"}  # fmt: skip
    return names.get(type(value), "?")


def path_of(loc: Sequence[int | str], prefix: str = "") -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _problem(error: ErrorDetails) -> str:
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    if kind == "missing":
        return "missing"
    if value is None and (kind in _TYPES or kind == "literal_error"):
        return "required value is null"
    if kind in _TYPES:
        return f"expected {_TYPES[kind]}, got {type_name(value)}"
    if kind == "literal_error" and not isinstance(value, str):  # our choices are all text
        return f"expected a string, got {type_name(value)}"
    size = len(value) if hasattr(value, "__len__") else "?"
    unit = "keys" if isinstance(value, dict) else "items"
    shown = repr(value) if len(repr(value)) <= 80 else repr(value)[:77] + "..."
    problems = {
        "greater_than_equal": lambda: f"expected an integer >= {ctx.get('ge')}, got {value}",
        "less_than_equal": lambda: f"expected an integer <= {ctx.get('le')}, got {value}",
        "string_too_short": lambda: f"length {size} is below the minimum {ctx.get('min_length')}",
        "string_too_long": lambda: f"length {size} is above the maximum {ctx.get('max_length')}",
        "too_short": lambda: f"{size} {unit} is fewer than {ctx.get('min_length')}",
        "too_long": lambda: f"{size} {unit} is more than {ctx.get('max_length')}",
        "literal_error": lambda: f"{shown} is not one of {ctx.get('expected')}",
        "string_pattern_mismatch": lambda: f"{shown} does not match {ctx.get('pattern')}",
    }
    describe = problems.get(kind)
    return describe() if describe else error["msg"]


def describe(errors: Sequence[ErrorDetails], prefix: str = "") -> list[str]:
    """``path: problem`` lines; unknown fields of one object are named together."""
    lines: list[str] = []
    unknown: dict[str, list[str]] = {}
    for error in errors:
        loc = error["loc"]
        if error["type"] == "extra_forbidden" and loc:
            parent = path_of(loc[:-1], prefix) or "document"
            if parent not in unknown:
                unknown[parent] = []
                lines.append(parent)  # placeholder, filled below in first-seen order
            unknown[parent].append(str(loc[-1]))
            continue
        lines.append(f"{path_of(loc, prefix) or 'document'}: {_problem(error)}")
    filled = [
        f"{line}: unknown field(s) {sorted(unknown[line])}" if line in unknown else line
        for line in lines
    ]
    return filled[:MAX_ERRORS]
