"""One lasting place for python-escpos's printer database pickle.

``escpos.capabilities`` parses its 96 KB printer database through PyYAML at every import
and writes the pickle it could reuse next time into a new ``mkdtemp()`` directory unless
``ESCPOS_CAPABILITIES_PICKLE_DIR`` names one: every ``kiosk`` start paid the parse (0.14 s
of CPU here, several times that on a Pi, and ~3 MB of memory). Given a directory that
stays, the next start loads the pickle (0.01 s). (escpos still makes an empty temporary
directory at each import: it evaluates that default even when the variable is set.)
"""

from __future__ import annotations

import os
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


def use_escpos_cache(environ: MutableMapping[str, str] = os.environ) -> Path | None:
    """Set ``ESCPOS_CAPABILITIES_PICKLE_DIR`` (unless set) to the first of the user's
    cache or the data directory that can be written; None leaves escpos's default."""
    if environ.get(ENV):
        return None
    for place in _places(environ):
        try:
            place.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(place, os.W_OK | os.X_OK):
            environ[ENV] = str(place)
            return place
    return None
