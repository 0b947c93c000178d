"""Running ``kiosk`` as a separate process, as an outside check would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def kiosk(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``kiosk --data-dir DATA ARGS...`` with its output captured; never raises on exit."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(data), *args],
        capture_output=True, text=True, input=stdin, timeout=60, check=False,
    )  # fmt: skip


def replay(data: Path, steps: list[object]) -> subprocess.CompletedProcess[str]:
    """``kiosk replay`` of ``steps``, written as a script beside the data directory."""
    script = data.parent / "script.jsonl"
    script.write_text("\n".join(json.dumps(s) for s in steps) + "\n", encoding="utf-8")
    return kiosk(data, "replay", str(script))


def staffed_till(directory: Path, catalog_csv: str) -> Path:
    """A device in ``directory``/dev with ``catalog_csv`` imported and two staff enrolled:
    Ani (cashier, PIN 1111) and Budi (supervisor, PIN 2222)."""
    (directory / "cat.csv").write_text(catalog_csv, encoding="utf-8")
    data = directory / "dev"
    for args in (("catalog", "import", str(directory / "cat.csv")),
                 ("staff", "add", "Ani", "--role", "cashier", "--pin", "1111"),
                 ("staff", "add", "Budi", "--role", "supervisor", "--pin", "2222")):  # fmt: skip
        done = kiosk(data, *args)
        if done.returncode != 0:
            raise RuntimeError(f"kiosk {' '.join(args[:2])}: {done.stderr}")
    return data
