"""A signed release on a local HTTP server, and a kiosk data directory that trusts its
key: what the fleet-driven update tests download from."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.contract.release import sign
from kiosk.contract.setup_code import public_key_text


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def signed_release(folder: Path, key: Ed25519PrivateKey, version: str = "9.1.0") -> Path:
    """A wheel-named file (its bytes are not installed here) and its signature."""
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / f"pi_pos-{version}-py3-none-any.whl"
    wheel.write_bytes(b"PK\x03\x04 release " + version.encode() * 1000)
    sign(wheel, key)
    return wheel


def trusting(data_dir: Path, key: Ed25519PrivateKey) -> Path:
    """Provision ``data_dir`` with the public half of ``key`` as its release key."""
    keys = data_dir / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    (keys / "release.pub").write_text(public_key_text(key.public_key()))
    return data_dir


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
