"""The dependency rule of docs/ARCHITECTURE.md, enforced by walking every import.

Every ``import`` counts, also the lazy ones inside function bodies: a lazy import still
ties two modules together, it only hides the knot from the reader. Each rule is checked on
the real tree and, in a ``*_catches_*`` test, on a tiny tree planted with a violation, so
a walker that silently finds nothing fails too.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TREE = ("kiosk", "drivers", "fleet")

# What kiosk/domain may import: the pure part of the standard library.
DOMAIN_ALLOWED = {
    "__future__", "abc", "collections", "dataclasses", "datetime", "decimal", "enum",
    "fractions", "functools", "hashlib", "itertools", "json", "math", "operator", "re",
    "string", "typing", "unicodedata", "zoneinfo", "bisect", "heapq", "types", "copy",
    "textwrap", "statistics", "binascii", "uuid", "kiosk",
}  # fmt: skip
# The layers below services: neither may reach up or out to these.
INNER_FORBIDDEN = ("kiosk.telemetry", "kiosk.ui", "kiosk.services", "kiosk.bootstrap",
                   "kiosk.cli", "kiosk.commands")  # fmt: skip
# What the fleet may import from the kiosk.
FLEET_MAY_USE = ("kiosk.contract", "kiosk.domain")

# Known violations that other work of issue 9 is removing. The tests fail when one of
# these no longer exists, so this list can only shrink; never add to it.
KNOWN_LAYER_VIOLATIONS: set[tuple[str, str]] = set()
KNOWN_MODULE_CYCLES: set[frozenset[str]] = set()
KNOWN_PACKAGE_CYCLES: set[frozenset[str]] = set()


@dataclass(frozen=True)
class Import:
    source: str  # dotted name of the importing module
    path: Path
    lineno: int
    target: str  # dotted name as written, relative imports resolved


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(*dirs: str, root: Path = ROOT) -> list[Path]:
    return sorted(p for d in dirs for p in (root / d).rglob("*.py"))


def imports_in(path: Path, root: Path = ROOT) -> list[Import]:
    """Every import anywhere in the file (module level, functions, classes, ``if``
    blocks). ``from a import b`` yields ``a.b``: when ``b`` is a submodule that is what
    is imported; when it is a name, :meth:`Tree.resolve` trims it back to ``a``."""
    source = module_name(path, root)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [Import(source, path, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [
                Import(source, path, node.lineno, f"{base}.{alias.name}" if base else alias.name)
                for alias in node.names
            ]
    return found


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module as written) of every absolute import: for the library rules."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


class Tree:
    """The modules under ``root``'s top-level packages and the imports between them."""

    def __init__(self, root: Path = ROOT, tops: Iterable[str] = TREE) -> None:
        self.root = root
        files = python_files(*(t for t in tops if (root / t).is_dir()), root=root)
        self.modules = {module_name(p, root): p for p in files}
        self.packages = {m for m, p in self.modules.items() if p.name == "__init__.py"}
        self.imports = [imp for p in files for imp in imports_in(p, root)]

    def resolve(self, target: str) -> str | None:
        """The tree's module that ``target`` names (trimming an imported attribute)."""
        while target:
            if target in self.modules:
                return target
            target = target.rpartition(".")[0]
        return None

    def edges(self) -> Iterator[tuple[Import, str]]:
        """(import, module of the tree it reaches), without self-references and without
        a package importing its own submodules (``__init__`` re-exports)."""
        for imp in self.imports:
            target = self.resolve(imp.target)
            if target is None or target == imp.source:
                continue
            if imp.source in self.packages and target.startswith(imp.source + "."):
                continue
            yield imp, target

    def unit(self, module: str) -> str:
        """A module's package at the second level (``kiosk.storage``), or the module
        itself when it sits directly in a top-level package (``kiosk.cli``)."""
        return ".".join(module.split(".")[:2])

    def module_graph(self) -> dict[str, set[str]]:
        graph: dict[str, set[str]] = {m: set() for m in self.modules}
        for imp, target in self.edges():
            graph[imp.source].add(target)
        return graph

    def package_graph(self) -> dict[str, set[str]]:
        graph: dict[str, set[str]] = {self.unit(m): set() for m in self.modules}
        for imp, target in self.edges():
            if self.unit(imp.source) != self.unit(target):
                graph[self.unit(imp.source)].add(self.unit(target))
        return graph


def cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """Strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: set[frozenset[str]] = set()
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(frozenset(component))
    return found


def module_cycles(tree: Tree) -> set[frozenset[str]]:
    return cycles(tree.module_graph())


def package_cycles(tree: Tree) -> set[frozenset[str]]:
    """Cycles between packages. Cycles among plain modules of one top-level package
    (``kiosk.cli`` and ``kiosk.commands``) are module cycles and reported as such."""
    return {c for c in cycles(tree.package_graph()) if c & tree.packages}


def layer_violations(tree: Tree) -> set[tuple[str, str]]:
    """(importer, imported) pairs that break the layer rules: domain and storage import
    nothing above them; the fleet imports the kiosk only through its contract and domain."""
    bad: set[tuple[str, str]] = set()
    for imp, target in tree.edges():
        inner = imp.source.startswith(("kiosk.domain", "kiosk.storage"))
        if inner and target.startswith(INNER_FORBIDDEN):
            bad.add((imp.source, target))
        fleet = imp.source == "fleet" or imp.source.startswith("fleet.")
        if fleet and target.startswith("kiosk") and not target.startswith(FLEET_MAY_USE):
            bad.add((imp.source, target))
    return bad


def describe(tree: Tree, pairs: Iterable[tuple[str, str]]) -> str:
    lines = []
    for source, target in sorted(pairs):
        for imp, reached in tree.edges():
            if (imp.source, reached) == (source, target):
                lines.append(f"{imp.path.relative_to(tree.root)}:{imp.lineno} imports {target}")
    return "\n".join(lines)


def assert_only_known(found: set, known: set, what: str) -> None:
    new = found - known
    gone = known - found
    assert not new, f"new {what}:\n" + "\n".join(sorted(map(str, map(sorted_tuple, new))))
    assert not gone, (
        f"{what} fixed, take them off the allow-list in {Path(__file__).name}:\n"
        + "\n".join(sorted(map(str, map(sorted_tuple, gone))))
    )


def sorted_tuple(item: object) -> object:
    return tuple(sorted(item)) if isinstance(item, frozenset) else item


@pytest.fixture(scope="module")
def tree() -> Tree:
    return Tree()


# --- the real tree ---------------------------------------------------------------------


def test_the_walker_sees_the_tree(tree: Tree) -> None:
    assert {"kiosk.domain.money", "kiosk.storage.ledger", "fleet.ingest"} <= set(tree.modules)
    reached = {(imp.source, target) for imp, target in tree.edges()}
    assert ("kiosk.storage.ledger", "kiosk.domain.sale") in reached


def test_no_module_imports_another_that_imports_it_back(tree: Tree) -> None:
    assert_only_known(module_cycles(tree), KNOWN_MODULE_CYCLES, "module import cycles")


def test_no_package_cycles(tree: Tree) -> None:
    assert_only_known(package_cycles(tree), KNOWN_PACKAGE_CYCLES, "package import cycles")


def test_domain_and_storage_stay_below_services_and_fleet_uses_the_contract(
    tree: Tree,
) -> None:
    found = layer_violations(tree)
    assert not found - KNOWN_LAYER_VIOLATIONS, describe(tree, found - KNOWN_LAYER_VIOLATIONS)
    assert_only_known(found, KNOWN_LAYER_VIOLATIONS, "layer violations")


def test_domain_is_pure() -> None:
    problems = []
    for path in python_files("kiosk/domain"):
        for lineno, module in imports_of(path):
            top = module.split(".")[0]
            if top not in DOMAIN_ALLOWED or module.startswith(INNER_FORBIDDEN):
                problems.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not problems, "kiosk/domain must stay pure:\n" + "\n".join(problems)


# The composition root: bootstrap and the device half it was split into (module size).
COMPOSITION_ROOT = (ROOT / "kiosk" / "bootstrap.py", ROOT / "kiosk" / "till_devices.py")


def test_only_bootstrap_imports_drivers() -> None:
    problems = []
    for path in python_files("kiosk", "fleet"):
        if path in COMPOSITION_ROOT:
            continue
        for lineno, module in imports_of(path):
            if module == "drivers" or module.startswith("drivers."):
                problems.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not problems, (
        "only kiosk/bootstrap.py (and till_devices.py) may import drivers:\n" + "\n".join(problems)
    )


def test_libraries_only_in_their_layer() -> None:
    """Hardware libraries live in drivers/, Kivy in kiosk/ui, paho in telemetry/fleet."""
    homes = {
        "evdev": ("drivers",), "escpos": ("drivers",), "gpiozero": ("drivers",),
        "serial": ("drivers",), "kivy": ("kiosk/ui",),
        "paho": ("kiosk/telemetry", "kiosk/testing", "fleet"),
    }  # fmt: skip
    problems = []
    for path in python_files("kiosk", "fleet", "drivers"):
        rel = path.relative_to(ROOT).as_posix()
        for lineno, module in imports_of(path):
            top = module.split(".")[0]
            if top in homes and not rel.startswith(homes[top]):
                problems.append(f"{rel}:{lineno} imports {module}")
    assert not problems, "\n".join(problems)


def test_ui_talks_to_services_not_to_storage_or_telemetry() -> None:
    problems = []
    for path in python_files("kiosk/ui"):
        for lineno, module in imports_of(path):
            if module.startswith(
                ("kiosk.storage", "kiosk.telemetry", "drivers", "kiosk.bootstrap")
            ):
                problems.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not problems, "kiosk/ui goes through services and ports:\n" + "\n".join(problems)


# --- each rule catches a planted violation -------------------------------------------


def plant(root: Path, files: dict[str, str]) -> Tree:
    """A fake tree under ``root``: {"kiosk/storage/a.py": "source"}; packages get an
    empty ``__init__.py`` unless given."""
    for rel, text in files.items():
        path = root / rel
        for parent in path.relative_to(root).parents:
            if parent != Path("."):
                init = root / parent / "__init__.py"
                init.parent.mkdir(parents=True, exist_ok=True)
                if not init.exists():
                    init.write_text("", encoding="utf-8")
        path.write_text(text, encoding="utf-8")
    return Tree(root)


def test_the_library_walker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlite3\nfrom drivers.x import y\n", encoding="utf-8")
    assert [m for _, m in imports_of(bad)] == ["sqlite3", "drivers.x"]
    assert "sqlite3" in sys.stdlib_module_names and "sqlite3" not in DOMAIN_ALLOWED


def test_a_lazy_import_cycle_is_caught(tmp_path: Path) -> None:
    tree = plant(tmp_path, {
        "kiosk/cli.py": "def main():\n    from kiosk import handlers\n",
        "kiosk/handlers.py": "import kiosk.cli\n",
        "kiosk/ok.py": "from kiosk.cli import main\n",
    })  # fmt: skip
    assert module_cycles(tree) == {frozenset({"kiosk.cli", "kiosk.handlers"})}


def test_a_relative_import_inside_a_class_is_caught(tmp_path: Path) -> None:
    tree = plant(tmp_path, {
        "kiosk/ui/app.py": "class App:\n    def build(self):\n        from .pos_app import X\n",
        "kiosk/ui/pos_app.py": "from kiosk.ui.app import App\nX = 1\n",
    })  # fmt: skip
    assert module_cycles(tree) == {frozenset({"kiosk.ui.app", "kiosk.ui.pos_app"})}


def test_a_longer_cycle_is_one_component(tmp_path: Path) -> None:
    tree = plant(tmp_path, {
        "kiosk/a.py": "import kiosk.b\n", "kiosk/b.py": "import kiosk.c\n",
        "kiosk/c.py": "if True:\n    import kiosk.a\n", "kiosk/d.py": "import kiosk.a\n",
    })  # fmt: skip
    assert module_cycles(tree) == {frozenset({"kiosk.a", "kiosk.b", "kiosk.c"})}


def test_a_package_reexport_is_not_a_cycle(tmp_path: Path) -> None:
    tree = plant(tmp_path, {
        "kiosk/domain/__init__.py": "from kiosk.domain.money import Money\n",
        "kiosk/domain/money.py": "from kiosk.domain import errors\nMoney = int\n",
        "kiosk/domain/errors.py": "",
    })  # fmt: skip
    assert module_cycles(tree) == set() and package_cycles(tree) == set()


def test_a_package_cycle_is_caught_though_no_two_modules_form_one(tmp_path: Path) -> None:
    tree = plant(tmp_path, {
        "kiosk/storage/fleet_messages.py": "from kiosk.telemetry.messages import stock\n",
        "kiosk/telemetry/messages.py": "def stock(): ...\n",
        "kiosk/telemetry/drain.py": "def run():\n    from kiosk.storage import outbox\n",
        "kiosk/storage/outbox.py": "",
    })  # fmt: skip
    assert module_cycles(tree) == set()
    assert package_cycles(tree) == {frozenset({"kiosk.storage", "kiosk.telemetry"})}


@pytest.mark.parametrize(
    ("importer", "line", "imported"),
    [
        ("kiosk/storage/ledger.py", "from kiosk.telemetry import topics", "kiosk.telemetry.topics"),
        ("kiosk/storage/ledger.py", "import kiosk.services.checkout", "kiosk.services.checkout"),
        ("kiosk/domain/sale.py", "from kiosk.ui.i18n import _", "kiosk.ui.i18n"),
        ("kiosk/domain/sale.py", "from ..services import checkout", "kiosk.services.checkout"),
        ("fleet/ingest.py", "from kiosk.telemetry.schemas import v", "kiosk.telemetry.schemas"),
        ("fleet/ingest.py", "from kiosk.storage.ledger import L", "kiosk.storage.ledger"),
    ],
)
def test_a_layer_violation_is_caught(
    tmp_path: Path, importer: str, line: str, imported: str
) -> None:
    module = importer.removesuffix(".py").replace("/", ".")
    files = {
        "kiosk/telemetry/topics.py": "", "kiosk/telemetry/schemas.py": "v = 1\n",
        "kiosk/services/checkout.py": "", "kiosk/ui/i18n/__init__.py": "_ = str\n",
        "kiosk/storage/ledger.py": "L = 1\n", "kiosk/domain/sale.py": "",
        "kiosk/contract/topics.py": "", "fleet/ingest.py": "",
    }  # fmt: skip
    files[importer] = f"def lazy():\n    {line}\n"
    assert layer_violations(plant(tmp_path, files)) == {(module, imported)}


def test_what_the_fleet_and_storage_may_import_passes(tmp_path: Path) -> None:
    tree = plant(tmp_path, {
        "fleet/ingest.py": "from kiosk.contract.topics import t\nfrom kiosk.domain import sale\n",
        "kiosk/contract/topics.py": "t = 1\n", "kiosk/domain/sale.py": "",
        "kiosk/storage/ledger.py": "from kiosk.domain.sale import x\nfrom kiosk import ports\n",
        "kiosk/ports.py": "",
    })  # fmt: skip
    assert layer_violations(tree) == set()


def test_a_stale_allow_list_entry_fails() -> None:
    with pytest.raises(AssertionError, match="take them off the allow-list"):
        assert_only_known(set(), {frozenset({"a", "b"})}, "cycles")
    with pytest.raises(AssertionError, match="new cycles"):
        assert_only_known({frozenset({"a", "b"})}, set(), "cycles")
