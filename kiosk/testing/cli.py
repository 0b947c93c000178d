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
