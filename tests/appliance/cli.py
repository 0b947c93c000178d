"""`kiosk ...` as a subprocess with its own environment (keys, setup paths)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def kiosk(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **env})  # fmt: skip
