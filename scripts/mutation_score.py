"""Reads ``mutmut results --all true`` on stdin; prints the score per module and overall,
then the mutants that were not killed. Exit status 0: the score is information here, the
decision on each survivor is recorded in docs/mutation.md."""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught by the timeout
LINE = re.compile(r"^\s*(?P<name>\S+?)__mutmut_\d+: (?P<status>.+?)\s*$")


def module_of(function: str) -> str:
    """``kiosk.domain.money.x_round_half_up`` -> ``kiosk.domain.money``."""
    return re.split(r"\.x_|\.xǁ", function, maxsplit=1)[0]


def main() -> int:
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    alive: list[str] = []
    for line in sys.stdin:
        match = LINE.match(line)
        if not match or match["status"] == "not checked":
            continue
        module = module_of(match["name"])
        by_module[module][match["status"]] += 1
        if match["status"] not in KILLED:
            alive.append(f"{match['status']:>10}  {line.split(':')[0].strip()}")
    total = Counter[str]()
    print(f"{'module':40} {'mutants':>8} {'killed':>8} {'score':>7}")
    for module in sorted(by_module):
        counts = by_module[module]
        total.update(counts)
        n, k = sum(counts.values()), sum(counts[s] for s in KILLED)
        print(f"{module:40} {n:8} {k:8} {100 * k / n:6.1f}%")
    n, k = sum(total.values()), sum(total[s] for s in KILLED)
    if not n:
        print("no mutants were run")
        return 1
    print(f"{'all':40} {n:8} {k:8} {100 * k / n:6.1f}%")
    print(f"mutation score: {k}/{n} = {100 * k / n:.1f}%  ({dict(sorted(total.items()))})")
    print("\nnot killed:" if alive else "\nevery mutant was killed")
    print("\n".join(sorted(alive)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
