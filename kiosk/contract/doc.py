"""docs/messages.md's field tables, rendered from the models' JSON Schema.

The page keeps its hand-written prose; the regions between ``<!-- contract:NAME -->`` and
``<!-- /contract:NAME -->`` are generated. ``python -m kiosk.contract.doc`` rewrites
them; ``--check`` exits 1 when the page and the models differ (a unit test does the same).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.contract.books import EVENT_PAYLOADS
from kiosk.contract.fields import Document
from kiosk.contract.refusals import REFUSALS
from kiosk.contract.schemas import COMMANDS, ENVELOPE_VERSIONS, MESSAGES, RESULT_VERSIONS

PAGE = Path(__file__).resolve().parents[2] / "docs" / "messages.md"
Schema = dict[str, Any]


def _type(prop: Schema) -> str:
    if "$ref" in prop:
        return f"`{prop['$ref'].rsplit('/', 1)[-1]}`"
    if "anyOf" in prop:
        return " or ".join(_type(option) for option in prop["anyOf"])
    if "const" in prop:
        return f"`{prop['const']}`"
    if "enum" in prop:
        return " \\| ".join(f"`{value}`" for value in prop["enum"])
    if prop.get("type") == "array":
        return f"list of {_type(prop['items'])}"
    return {"integer": "integer", "string": "string", "boolean": "boolean", "number": "number",
            "object": "object", "null": "null"}.get(prop.get("type", ""), "any")  # fmt: skip


def _span(low: Any, high: Any, unit: str) -> str:
    if low is not None and low == high:
        return f"{low}{unit}"
    if low not in (None, 0) and high is not None:
        return f"{low}-{high}{unit}"
    if high is not None:
        return f"<= {high}{unit}"
    return f">= {low}{unit}" if low else ""


def _notes(prop: Schema) -> str:
    parts = [_notes(option) for option in prop.get("anyOf", []) if option.get("type") != "null"]
    lo, hi = prop.get("minimum"), prop.get("maximum")
    if lo is not None and hi is not None:
        parts.append(f"{lo}..{hi}")
    elif lo is not None or hi is not None:
        parts.append(f">= {lo}" if lo is not None else f"<= {hi}")
    parts.append(_span(prop.get("minLength"), prop.get("maxLength"), " chars"))
    parts.append(_span(prop.get("minItems"), prop.get("maxItems"), " items"))
    parts.append(_span(None, prop.get("maxProperties"), " keys"))
    if prop.get("type") == "array":
        parts.append(_notes(prop["items"]))
    if "pattern" in prop:
        parts.append(f"`{prop['pattern']}`")
    if "format" in prop:
        parts.append(prop["format"])
    if "description" in prop:
        parts.append(prop["description"])
    return "; ".join(part for part in parts if part)


def _prose(text: str | None) -> str:
    """A docstring as one Markdown paragraph, reST double backticks made single."""
    return " ".join((text or "").replace("``", "`").split())


def _table(schema: Schema) -> list[str]:
    rows = ["| field | type | required | notes |", "|---|---|---|---|"]
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        notes = _notes(prop).replace("|", "\\|")
        rows.append(f"| `{name}` | {_type(prop)} | {'yes' if name in required else 'no'} | "
                    f"{notes} |")  # fmt: skip
    if schema.get("additionalProperties") is True:
        rows.append("| ... | any | no | further fields are allowed |")
    return rows


def _refs(schema: Schema) -> list[str]:
    """Names of nested models in the order a reader meets them."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                found.append(node["$ref"].rsplit("/", 1)[-1])
            for key, value in node.items():
                if key != "$defs":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    defs = schema.get("$defs", {})
    for name in found:  # grows while nested models reveal their own
        walk(defs.get(name, {}))
    return list(dict.fromkeys(found))


def _section(title: str, model: type[Document]) -> list[str]:
    schema = model.model_json_schema(by_alias=True)
    lines = [f"### {title}", ""]
    if model.__doc__:
        lines += [_prose(model.__doc__), ""]
    lines += [*_table(schema), ""]
    for name in _refs(schema):
        nested = schema["$defs"][name]
        lines += [f"`{name}`: {_prose(nested.get('description'))}".rstrip(": "), ""]
        lines += [*_table(nested), ""]
    return lines


def render_messages() -> str:
    lines: list[str] = []
    for kind, versions in MESSAGES.items():
        for version, model in sorted(versions.items()):
            lines += _section(f"{kind} (schema {version})", model)
    for kind, payload in EVENT_PAYLOADS.items():
        lines += _section(f"event {kind}: payload", payload)
    return "\n".join(lines).rstrip() + "\n"


def render_commands() -> str:
    lines: list[str] = []
    for version, envelope in sorted(ENVELOPE_VERSIONS.items()):
        lines += _section(f"Envelope (schema {version})", envelope)
    for name, body in COMMANDS.items():
        lines += _section(f"cmd/{name}: body", body)
    for version, result in sorted(RESULT_VERSIONS.items()):
        lines += _section(f"Result (schema {version})", result)
    return "\n".join(lines).rstrip() + "\n"


def _escaped(text: str) -> str:
    return text.replace("|", "\\|")


def render_refusals() -> str:
    lines = ["| code | the kiosk's English (parameters in braces) |", "|---|---|"]
    lines += [f"| `{code}` | {_escaped(text)} |" for code, text in REFUSALS.items()]
    return "\n".join(lines) + "\n"


REGIONS: dict[str, Callable[[], str]] = {
    "messages": render_messages,
    "commands": render_commands,
    "refusals": render_refusals,
}


def update(page: str) -> str:
    """``page`` with every generated region rendered afresh."""
    for name, render in REGIONS.items():
        begin, end = f"<!-- contract:{name} -->\n", f"<!-- /contract:{name} -->"
        head, found, rest = page.partition(begin)
        _, closed, tail = rest.partition(end)
        if not found or not closed:
            raise ValueError(f"docs/messages.md lacks the region {begin.strip()} ... {end}")
        page = f"{head}{begin}\n{render()}\n{end}{tail}"
    return page


def main(argv: list[str]) -> int:
    text = PAGE.read_text(encoding="utf-8")
    fresh = update(text)
    if "--check" in argv:
        if fresh != text:
            print(f"{PAGE} differs from kiosk/contract: run python -m kiosk.contract.doc")
            return 1
        return 0
    PAGE.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
