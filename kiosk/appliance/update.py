"""``kiosk update WHEEL``: a signed release into its own virtual environment, switched
in atomically, rolled back by itself when it does not come up.

    PREFIX/releases/<version>-<sha8>/   one virtual environment per release
    PREFIX/current -> releases/...      what kiosk.service runs (bin/kiosk)
    PREFIX/previous -> releases/...     what a rollback returns to

1. the wheel's ed25519 signature is checked against the provisioned release key;
2. a new venv is made beside the current one and the wheel installed from the wheel's
   own directory only (``--no-index``: a release brings its dependencies as wheels);
3. the new version's ``kiosk selftest`` must pass (nothing is switched otherwise);
4. ``current`` is replaced by a new symlink in one rename, the till restarted;
5. the new version must write the ready file (``KIOSK_READY_FILE``, after its first frame)
   with its own version within the time limit, or ``current`` goes back and the till is
   restarted on the old version.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kiosk.appliance.files import fsync_dir
from kiosk.contract.release import ReleaseSignatureError, verify
from kiosk.contract.setup_code import SetupCodeError, load_public_key

DEFAULT_PREFIX = Path("/var/lib/kiosk/app")
# --no-block: a Type=notify restart would wait for READY itself; the ready file is judged
# here, with our own time limit, so that a release that never comes up is rolled back.
RESTART = ("systemctl", "--no-block", "restart", "kiosk.service")
READY_FILE = "ready.json"
RELEASE_KEY = Path("keys") / "release.pub"
WHEEL_CACHE = "wheels"  # PREFIX/wheels: every release's dependency wheels, kept


class UpdateError(Exception):
    """The update did not happen (or was rolled back); the message says why."""


@dataclass(frozen=True)
class Update:
    prefix: Path
    data_dir: Path
    restart: Sequence[str] = RESTART
    health_timeout: float = 120.0
    ready_file: Path | None = None  # default: DATA_DIR/ready.json

    @property
    def ready_path(self) -> Path:
        return self.ready_file or self.data_dir / READY_FILE


@dataclass(frozen=True)
class Outcome:
    version: str
    release: Path
    previous: Path | None
    seconds_to_healthy: float


def wheel_version(wheel: Path) -> str:
    """``pi_pos-1.2.0-py3-none-any.whl`` -> ``1.2.0`` (the wheel file name convention)."""
    parts = wheel.name.split("-")
    if wheel.suffix != ".whl" or len(parts) < 5:
        raise UpdateError(f"{wheel.name} is not a wheel file name (name-version-...-any.whl)")
    return parts[1]


def release_key(data_dir: Path) -> Path:
    return Path(os.environ.get("KIOSK_RELEASE_KEY", "") or data_dir / RELEASE_KEY)


def check_release(wheel: Path, data_dir: Path) -> str:
    """The wheel's version once its signature verifies; UpdateError otherwise."""
    version = wheel_version(wheel)
    key_path = release_key(data_dir)
    try:
        key = load_public_key(key_path.read_text(encoding="ascii"))
        verify(wheel, key)
    except FileNotFoundError:
        raise UpdateError(
            f"no release key provisioned ({key_path}): cannot trust any release"
        ) from None
    except (SetupCodeError, ReleaseSignatureError, OSError) as error:
        raise UpdateError(str(error)) from None
    return version


def run(cmd: Sequence[str | Path], what: str, timeout: float = 600) -> None:
    try:
        done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                              timeout=timeout, check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UpdateError(f"{what} failed: {error}") from None
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise UpdateError(f"{what} failed (exit {done.returncode}): {' / '.join(tail)}")


def install(prefix: Path, wheel: Path, version: str) -> Path:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:8]
    release = prefix / "releases" / f"{version}-{digest}"
    if release.exists():
        shutil.rmtree(release)  # a half-made venv of an earlier attempt
    release.parent.mkdir(parents=True, exist_ok=True)
    try:
        run([sys.executable, "-m", "venv", release], "making the virtual environment")
        # Dependencies come from the release's own directory, then from the wheels kept
        # on the card since the first release (a fleet download brings only pi_pos).
        links = [arg for folder in (wheel.parent, prefix / WHEEL_CACHE) if folder.is_dir()
                 for arg in ("--find-links", folder)]  # fmt: skip
        run([release / "bin/python", "-m", "pip", "install", "--quiet", "--no-index", *links,
             wheel], "installing the wheel")  # fmt: skip
    except UpdateError:
        shutil.rmtree(release, ignore_errors=True)
        raise
    return release


def point(prefix: Path, name: str, release: Path) -> None:
    """``prefix/name`` -> ``release``, replaced in one rename (never missing)."""
    link = prefix / name
    tmp = prefix / f".{name}.new"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(release.relative_to(prefix))
    os.replace(tmp, link)
    fsync_dir(prefix)


def current(prefix: Path) -> Path | None:
    return _target(prefix / "current")


def wait_healthy(ready: Path, version: str, since: float, timeout: float) -> float | None:
    """Seconds until ``ready`` names ``version`` (written after ``since``), or None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if ready.stat().st_mtime >= since:
                doc = json.loads(ready.read_text(encoding="utf-8"))
                if doc.get("version") == version:
                    return time.time() - since
        time.sleep(0.2)
    return None


def update(plan: Update, wheel: Path, say: Callable[[str], None] = print) -> Outcome:
    version = check_release(wheel, plan.data_dir)
    say(f"signature ok: {wheel.name} ({version})")
    release = install(plan.prefix, wheel, version)
    try:
        run([release / "bin/kiosk", "--data-dir", plan.data_dir, "selftest"], "the self-test", 300)
    except UpdateError:
        shutil.rmtree(release, ignore_errors=True)
        raise
    say(f"installed and self-tested: {release}")
    previous = current(plan.prefix)
    switched_at = time.time()
    point(plan.prefix, "current", release)
    try:
        run(plan.restart, "restarting the till")
        took = wait_healthy(plan.ready_path, version, switched_at, plan.health_timeout)
    except UpdateError as error:  # a failed restart is a release that did not come up
        say(str(error))
        took = None
    if took is None:
        if previous is None:
            raise UpdateError(f"{version} did not report healthy in {plan.health_timeout:.0f} s"
                              " and there is no earlier release to go back to")  # fmt: skip
        point(plan.prefix, "current", previous)
        run(plan.restart, "restarting the till on the earlier release")
        shutil.rmtree(release, ignore_errors=True)
        limit = f"{plan.health_timeout:.0f} s"
        raise UpdateError(f"{version} did not report healthy within {limit}: "
                          f"rolled back to {previous.name}")  # fmt: skip
    if previous is not None and previous != release:
        point(plan.prefix, "previous", previous)
    prune(plan.prefix)
    return Outcome(version, release, previous, took)


def prune(prefix: Path) -> None:
    """Keep only the current and the previous release's environments (SD card space)."""
    keep = {p for p in (current(prefix), _target(prefix / "previous")) if p is not None}
    for release in (prefix / "releases").iterdir():
        if release.resolve() not in keep:
            shutil.rmtree(release, ignore_errors=True)


def _target(link: Path) -> Path | None:
    return (link.parent / os.readlink(link)).resolve() if link.is_symlink() else None
