"""Reads ``mutmut results --all true`` on stdin; prints per module the mutants, those
killed, those explained as harmless in docs/mutation.md, those still alive, and the score
(killed / mutants; and killed / (mutants - explained)), then every mutant neither killed
nor explained. Exit status 0: the score is information here, the decision on each survivor
is recorded in docs/mutation.md.

``--explained FILE`` (docs/mutation.md by default when it exists) reads lines of the form
``- `kiosk.domain.tax.x_normalize_rate__mutmut_20`: equivalent: why``."""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught by the timeout
LINE = re.compile(r"^\s*(?P<name>\S+?__mutmut_\d+): (?P<status>.+?)\s*$")
EXPLAINED = re.compile(r"^- `(?P<name>[\w.ǁ]+__mutmut_\d+)`: \S", re.M)
DOC = Path(__file__).resolve().parent.parent / "docs" / "mutation.md"


def module_of(mutant: str) -> str:
    """``kiosk.domain.money.x_round_half_up__mutmut_3`` -> ``kiosk.domain.money``."""
    return re.split(r"\.x_|\.xǁ", mutant, maxsplit=1)[0]


def explained_in(path: Path | None) -> set[str]:
    if path is None or not path.exists():
        return set()
    return {m["name"] for m in EXPLAINED.finditer(path.read_text(encoding="utf-8"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--explained", type=Path, default=DOC)
    explained = explained_in(parser.parse_args(argv).explained)
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    alive: list[str] = []
    for line in sys.stdin:
        match = LINE.match(line)
        if not match or match["status"] == "not checked":
            continue
        name, status = match["name"], match["status"]
        if status not in KILLED and name in explained:
            status = "explained"
        by_module[module_of(name)][status] += 1
        if status not in KILLED | {"explained"}:
            alive.append(f"{status:>10}  {name}")
    total = Counter[str]()
    head = f"{'module':34} {'mutants':>7} {'killed':>7} {'explained':>9} {'alive':>6}"
    print(f"{head} {'score':>7} {'w/o expl.':>9}")
    for module in sorted(by_module):
        total.update(by_module[module])
        print(_row(module, by_module[module]))
    if not total:
        print("no mutants were run")
        return 1
    print(_row("all", total))
    n, k = sum(total.values()), sum(total[s] for s in KILLED)
    print(f"mutation score: {k}/{n} = {100 * k / n:.1f}%  ({dict(sorted(total.items()))})")
    print("\nnot killed and not explained:" if alive else "\nevery mutant killed or explained")
    print("\n".join(sorted(alive)))
    return 0


def _row(module: str, counts: Counter[str]) -> str:
    n, k, e = sum(counts.values()), sum(counts[s] for s in KILLED), counts["explained"]
    left = n - k - e
    without = f"{100 * k / (n - e):8.1f}%" if n > e else "       -"
    return f"{module:34} {n:7} {k:7} {e:9} {left:6} {100 * k / n:6.1f}% {without}"


if __name__ == "__main__":
    sys.exit(main())
