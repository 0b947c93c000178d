"""python-escpos's printer database pickle goes to a lasting cache, written whole: a start
loads it instead of parsing the JSON again, and processes starting together never read
half of it (drivers/escpos_cache.py)."""

from __future__ import annotations

import os
import pickle
import platform
import subprocess
import sys
from pathlib import Path

from drivers.escpos_cache import ENV, use_escpos_cache

PROBE = f"import drivers.sim.printer, os; print(os.environ.get('{ENV}', ''))"


def start(env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE], env={"PATH": "/usr/bin:/bin", **env},
                          capture_output=True, text=True, timeout=120, check=True)  # fmt: skip
    return done.stdout.strip()


def test_the_pickle_is_written_once_to_the_users_cache_and_reused(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    cache = tmp_path / "home" / ".cache" / "pi-pos" / "escpos"
    assert start(env) == str(cache)
    (pickle,) = cache.glob("*.capabilities.pickle")
    written = pickle.stat().st_mtime_ns
    assert start(env) == str(cache)
    assert pickle.stat().st_mtime_ns == written  # loaded, not parsed and written again


def test_processes_starting_together_over_a_stale_pickle_all_start(tmp_path: Path) -> None:
    """After an install the pickle is older than escpos's database: escpos rewrote it in
    place, and five of six processes started together failed reading half a file."""
    cache = tmp_path / "home" / ".cache" / "pi-pos" / "escpos"
    cache.mkdir(parents=True)
    stale = cache / f"{platform.python_version()}.capabilities.pickle"
    stale.write_bytes(b"")  # older than the database, and unreadable if read
    os.utime(stale, (0, 0))
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    starts = [subprocess.Popen([sys.executable, "-c", PROBE], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for _ in range(6)]  # fmt: skip
    results = [p.communicate(timeout=120) for p in starts]
    assert [p.returncode for p in starts] == [0] * 6, [err[-300:] for _, err in results]
    with stale.open("rb") as fh:
        assert pickle.load(fh)["profiles"]["default"]  # whole, from the database
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no partial left


def test_a_hidden_home_falls_back_to_the_data_directory(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o500)  # as under ProtectHome=yes: nothing can be made there
    data = tmp_path / "data"
    data.mkdir()
    environ = {"HOME": str(home), "KIOSK_DATA_DIR": str(data)}
    if use_escpos_cache({"HOME": str(home)}) is not None:  # root writes anywhere
        environ["HOME"] = "/proc/nonexistent"
    assert use_escpos_cache(environ) == data / ".cache" / "escpos"
    assert environ[ENV] == str(data / ".cache" / "escpos")


def test_a_setting_already_made_is_kept_and_nowhere_writable_leaves_the_default() -> None:
    environ = {ENV: "/somewhere/chosen", "HOME": "/proc/nonexistent"}
    assert use_escpos_cache(environ) is None and environ[ENV] == "/somewhere/chosen"
    bare = {"HOME": "/proc/nonexistent", "KIOSK_DATA_DIR": "/proc/nonexistent"}
    assert use_escpos_cache(bare) is None and ENV not in bare
