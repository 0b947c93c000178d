"""One lasting place for python-escpos's printer database pickle, written whole.

``escpos.capabilities`` parses its 96 KB printer database through PyYAML at every import
and writes the pickle it could reuse next time into a new ``mkdtemp()`` directory unless
``ESCPOS_CAPABILITIES_PICKLE_DIR`` names one: every ``kiosk`` start paid the parse (0.14 s
of CPU here, several times that on a Pi, and ~3 MB of memory). Given a directory that
stays, a start loads the pickle (0.01 s). But escpos writes that pickle in place, so a
process starting while another writes it reads half a file and fails (EOFError: six
processes started together after an install, five failed). So the pickle is written
here first, to a temporary name renamed over the old one, from the same JSON (``json``
reads it as PyYAML does), and escpos, finding it newer than its database, only reads it.
When that cannot be done, escpos keeps its own default. (escpos still makes an empty
temporary directory at each import: it evaluates that default even when it is not used.)
"""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import platform
from collections.abc import Iterator, MutableMapping
from pathlib import Path

ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"


def _places(environ: MutableMapping[str, str]) -> Iterator[Path]:
    if environ.get("XDG_CACHE_HOME"):
        yield Path(environ["XDG_CACHE_HOME"]) / "pi-pos" / "escpos"
    if environ.get("HOME"):
        yield Path(environ["HOME"]) / ".cache" / "pi-pos" / "escpos"
    # The appliance's units hide home (ProtectHome=yes); the data directory is theirs.
    data = environ.get("KIOSK_DATA_DIR")
    if data and Path(data).is_dir():
        yield Path(data) / ".cache" / "escpos"


def database() -> Path | None:
    """escpos's own printer database, found without importing escpos."""
    spec = importlib.util.find_spec("escpos")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).with_name("capabilities.json")


def write_pickle(place: Path, source: Path) -> Path:
    """The pickle escpos looks for in ``place``, made from ``source`` unless one newer
    than it is there; written under a temporary name and renamed, so never seen half."""
    target = place / f"{platform.python_version()}.capabilities.pickle"
    if target.exists() and target.stat().st_mtime_ns >= source.stat().st_mtime_ns:
        return target
    data = json.loads(source.read_text(encoding="utf-8"))
    partial = place / f".{target.name}.{os.getpid()}"
    with partial.open("wb") as out:
        pickle.dump(data, out, protocol=2)
    os.replace(partial, target)
    return target


def use_escpos_cache(environ: MutableMapping[str, str] = os.environ) -> Path | None:
    """Set ``ESCPOS_CAPABILITIES_PICKLE_DIR`` to the first of the user's cache or the data
    directory where a whole pickle could be put; None leaves escpos's default (also when
    either escpos variable is already set)."""
    source = database()
    if environ.get(ENV) or environ.get("ESCPOS_CAPABILITIES_FILE") or source is None:
        return None
    for place in _places(environ):
        try:
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_pickle(place, source)
        except (OSError, ValueError):
            continue
        environ[ENV] = str(place)
        return place
    return None
