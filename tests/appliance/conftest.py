"""An image root built the way the SD-card image is: a base system's users and systemd
units, then image-build/install-overlay.sh on top."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import demo_dir  # noqa: F401  (a demo data directory, per module)

ROOT = Path(__file__).resolve().parents[2]
HOST_UNITS = Path("/usr/lib/systemd/system")
BASE_PASSWD = Path("/usr/share/base-passwd")
STUBS = ("var/lib/kiosk/app/current/bin/kiosk", "opt/fleet/bin/fleet")


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (scripts/ensure-system.sh installs them)")


def seed_base_system(root: Path) -> None:
    """What Raspberry Pi OS Lite brings before our stage: users, groups, systemd units."""
    if not (BASE_PASSWD / "passwd.master").exists() or not HOST_UNITS.is_dir():
        pytest.skip("needs Debian's base-passwd and systemd unit files on this host")
    etc = root / "etc"
    etc.mkdir(parents=True)
    shutil.copy(BASE_PASSWD / "passwd.master", etc / "passwd")
    shutil.copy(BASE_PASSWD / "group.master", etc / "group")
    for name, mode in (("shadow", 0o640), ("gshadow", 0o640)):
        (etc / name).touch(mode=mode)
    shutil.copytree(HOST_UNITS, root / "usr/lib/systemd/system", symlinks=True)
    sysusers = root / "usr/lib/sysusers.d"
    sysusers.mkdir(parents=True)
    for conf in Path("/usr/lib/sysusers.d").glob("*.conf"):
        shutil.copy(conf, sysusers / conf.name)
    for stub in STUBS:  # the release venv and the fleet's entry point, as executables
        path = root / stub
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("#!/bin/sh\n", encoding="utf-8")
        path.chmod(0o755)


@pytest.fixture(scope="session")
def image_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("systemd-sysusers", "systemd-tmpfiles", "systemctl")
    root = tmp_path_factory.mktemp("image") / "root"
    seed_base_system(root)
    done = subprocess.run(["bash", str(ROOT / "image-build/install-overlay.sh"), str(root)],
                          capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return root
