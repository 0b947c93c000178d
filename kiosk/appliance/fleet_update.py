"""An update the fleet asked for (``cmd/update``): download, verify, then apply it in the
store's quiet hours.

The agent keeps one pending update in ``DATA_DIR/releases/pending.json``:
``scheduled`` (just asked) -> ``ready`` (wheel and signature downloaded, sha256 and
signature checked against the provisioned release key) -> ``applying`` (the apply command
was started: by default ``systemctl start kiosk-update@WHEEL.service``, which runs
``kiosk update`` as root with its own self-test and rollback) or ``failed`` (with the
reason). A newer request replaces an older one. Nothing here runs while a shop sells:
the apply step waits for ``update.window`` (local time, e.g. ``01:00-05:00``).
"""

from __future__ import annotations

import hashlib
import json
import shlex
import subprocess
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import httpx

from kiosk.appliance.files import write_atomically
from kiosk.appliance.update import UpdateError, check_release
from kiosk.contract.release import SIGNATURE_SUFFIX
from kiosk.domain.update_window import in_window

PENDING = Path("releases") / "pending.json"
MAX_WHEEL_BYTES = 200 * 1024 * 1024
DOWNLOAD_TIMEOUT_S = 120.0


class FleetUpdateError(Exception):
    """The requested release cannot be fetched, verified or applied; says why."""


@dataclass(frozen=True)
class PendingUpdate:
    version: str
    wheel: str
    url: str
    sha256: str
    command_id: str
    state: str = "scheduled"  # scheduled, ready, applying, failed
    reason: str = ""
    reported: bool = False  # a failure is reported to the fleet once

    @classmethod
    def from_body(cls, body: dict[str, Any], command_id: str) -> PendingUpdate:
        return cls(body["version"], body["wheel"], body["url"], body["sha256"], command_id)


def releases_dir(data_dir: Path) -> Path:
    return data_dir / PENDING.parent


def read_pending(data_dir: Path) -> PendingUpdate | None:
    try:
        doc = json.loads((data_dir / PENDING).read_text(encoding="utf-8"))
        return PendingUpdate(**doc)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        return None  # a torn or foreign file: the fleet can ask again


def write_pending(data_dir: Path, pending: PendingUpdate) -> None:
    releases_dir(data_dir).mkdir(mode=0o700, parents=True, exist_ok=True)
    write_atomically(data_dir / PENDING, json.dumps(asdict(pending), sort_keys=True))


def fetch(data_dir: Path, pending: PendingUpdate, client: httpx.Client | None = None) -> Path:
    """Download the wheel and its signature into the releases directory and check both;
    the verified wheel's path. A failed download leaves no wheel behind."""
    folder = releases_dir(data_dir)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    wheel = folder / pending.wheel
    signature = folder / (pending.wheel + SIGNATURE_SUFFIX)
    own = client is None
    http = client or httpx.Client(timeout=DOWNLOAD_TIMEOUT_S, follow_redirects=True)
    try:
        data = _download(http, pending.url, MAX_WHEEL_BYTES)
        sig = _download(http, pending.url + SIGNATURE_SUFFIX, 4096)
    finally:
        if own:
            http.close()
    digest = hashlib.sha256(data).hexdigest()
    if digest != pending.sha256:
        raise FleetUpdateError(
            f"{pending.wheel}: sha256 {digest[:12]}... is not the {pending.sha256[:12]}... "
            "the fleet announced (a broken or replaced download)"
        )
    # Its own temporary name: the command's thread and the agent's minute may both fetch.
    part = wheel.with_name(f"{wheel.name}.{threading.get_ident()}.part")
    part.write_bytes(data)
    signature.write_bytes(sig)
    part.replace(wheel)
    try:
        version = check_release(wheel, data_dir)
    except UpdateError as error:
        wheel.unlink(missing_ok=True)
        signature.unlink(missing_ok=True)
        raise FleetUpdateError(str(error)) from None
    if version != pending.version:
        raise FleetUpdateError(f"{pending.wheel} holds version {version}, not {pending.version}")
    return wheel


def _download(http: httpx.Client, url: str, limit: int) -> bytes:
    try:
        with http.stream("GET", url) as answer:
            if answer.status_code != 200:
                raise FleetUpdateError(f"{url}: the fleet answered {answer.status_code}")
            chunks, size = [], 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FleetUpdateError(f"{url}: larger than {limit} bytes")
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as error:
        raise FleetUpdateError(f"{url}: {error}") from None


def prepare(data_dir: Path, fetcher: Callable[[Path, PendingUpdate], Path] = fetch) -> None:
    """Fetch and verify the scheduled update, if there is one; record ready or failed."""
    pending = read_pending(data_dir)
    if pending is None or pending.state != "scheduled":
        return
    try:
        fetcher(data_dir, pending)
    except FleetUpdateError as error:
        write_pending(data_dir, replace(pending, state="failed", reason=str(error)))
        return
    if read_pending(data_dir) == pending:  # not replaced by a newer request meanwhile
        write_pending(data_dir, replace(pending, state="ready"))


def run_due(data_dir: Path, window: str, apply_command: str, zone: tzinfo) -> bool:
    """prepare, then apply_if_due at the local time now; True when applying started."""
    prepare(data_dir)
    return apply_if_due(data_dir, window, apply_command, datetime.now(zone))


def take_failure(data_dir: Path) -> PendingUpdate | None:
    """A failed update not reported yet (marked reported now), else None."""
    pending = read_pending(data_dir)
    if pending is None or pending.state != "failed" or pending.reported:
        return None
    write_pending(data_dir, replace(pending, reported=True))
    return pending


def apply_if_due(data_dir: Path, window: str, apply_command: str, now: datetime) -> bool:
    """Start applying a ready update when ``now`` (local time) is inside the window; True
    when the apply command was started."""
    pending = read_pending(data_dir)
    if pending is None or pending.state != "ready" or not in_window(window, now):
        return False
    wheel = releases_dir(data_dir) / pending.wheel
    command = [part.format(wheel=pending.wheel, path=wheel)
               for part in shlex.split(apply_command)]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        write_pending(data_dir, replace(pending, state="failed", reason=f"apply: {error}"))
        return False
    if done.returncode != 0:
        tail = " / ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        reason = f"apply exited {done.returncode}: {tail}"
        write_pending(data_dir, replace(pending, state="failed", reason=reason))
        return False
    write_pending(data_dir, replace(pending, state="applying"))
    return True
