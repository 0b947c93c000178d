"""The dependency rule of docs/ARCHITECTURE.md, enforced by walking every import."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What kiosk/domain may import: the pure part of the standard library.
DOMAIN_ALLOWED = {
    "__future__", "abc", "collections", "dataclasses", "datetime", "decimal", "enum",
    "fractions", "functools", "hashlib", "itertools", "json", "math", "operator", "re",
    "string", "typing", "unicodedata", "zoneinfo", "bisect", "heapq", "types", "copy",
    "textwrap", "statistics", "binascii", "uuid", "kiosk",
}  # fmt: skip
DOMAIN_FORBIDDEN_KIOSK = ("kiosk.storage", "kiosk.telemetry", "kiosk.ui", "kiosk.services",
                          "kiosk.bootstrap", "kiosk.cli")  # fmt: skip


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def python_files(*dirs: str) -> list[Path]:
    return sorted(p for d in dirs for p in (ROOT / d).rglob("*.py"))


def test_domain_is_pure() -> None:
    problems = []
    for path in python_files("kiosk/domain"):
        for lineno, module in imports_of(path):
            top = module.split(".")[0]
            bad_kiosk = module.startswith(DOMAIN_FORBIDDEN_KIOSK)
            if top not in DOMAIN_ALLOWED or bad_kiosk:
                problems.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not problems, "kiosk/domain must stay pure:\n" + "\n".join(problems)


def test_only_bootstrap_imports_drivers() -> None:
    problems = []
    for path in python_files("kiosk", "fleet"):
        if path == ROOT / "kiosk" / "bootstrap.py":
            continue
        for lineno, module in imports_of(path):
            if module == "drivers" or module.startswith("drivers."):
                problems.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not problems, "only kiosk/bootstrap.py may import drivers:\n" + "\n".join(problems)


def test_libraries_only_in_their_layer() -> None:
    """Hardware libraries live in drivers/, Kivy in kiosk/ui, paho in telemetry/fleet."""
    homes = {
        "evdev": ("drivers",), "escpos": ("drivers",), "gpiozero": ("drivers",),
        "serial": ("drivers",), "kivy": ("kiosk/ui",), "paho": ("kiosk/telemetry", "fleet"),
    }  # fmt: skip
    problems = []
    for path in python_files("kiosk", "fleet", "drivers"):
        rel = path.relative_to(ROOT).as_posix()
        for lineno, module in imports_of(path):
            top = module.split(".")[0]
            if top in homes and not rel.startswith(homes[top]):
                problems.append(f"{rel}:{lineno} imports {module}")
    assert not problems, "\n".join(problems)


def test_the_rule_catches_a_violation(tmp_path: Path) -> None:
    """Guard against a walker that silently finds nothing."""
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom drivers.x import y\n", encoding="utf-8")
    assert [m for _, m in imports_of(bad)] == ["sqlite3", "drivers.x"]
    assert "sqlite3" in sys.stdlib_module_names and "sqlite3" not in DOMAIN_ALLOWED


def test_ui_talks_to_services_not_to_storage_or_telemetry() -> None:
    problems = []
    for path in python_files("kiosk/ui"):
        for lineno, module in imports_of(path):
            if module.startswith(
                ("kiosk.storage", "kiosk.telemetry", "drivers", "kiosk.bootstrap")
            ):
                problems.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not problems, "kiosk/ui goes through services and ports:\n" + "\n".join(problems)
