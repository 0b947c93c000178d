"""Every unit in systemd/ passes `systemd-analyze verify` inside the image's root (so the
executables, users and dependencies it names are the image's), and keeps the properties
the till relies on."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.appliance.conftest import ROOT, need

UNITS = sorted(p.name for p in (ROOT / "systemd").iterdir() if p.suffix in (".service", ".timer"))


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file as section -> key -> every value given (keys repeat in units)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in (ROOT / "systemd" / name).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
        else:
            key, _, value = line.partition("=")
            current.setdefault(key, []).append(value)
    return sections


@pytest.mark.parametrize("name", UNITS)
def test_unit_passes_systemd_analyze_verify(image_root: Path, name: str) -> None:
    need("systemd-analyze")
    target = image_root / "etc/systemd/system" / name
    visiting = not target.exists()  # fleet.service belongs to the central host, not the image
    if visiting:
        shutil.copy(ROOT / "systemd" / name, target)
    instance = name.replace("@.", "@pi_pos-1.2.0-py3-none-any.whl.")  # a template's instance
    try:
        done = subprocess.run(["systemd-analyze", "verify", f"--root={image_root}", instance],
                              capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    finally:
        if visiting:  # the image root is shared: leave it as the overlay made it
            target.unlink()
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_verify_refuses_a_broken_unit(image_root: Path) -> None:
    """Guard: the check above would catch a unit whose program is missing."""
    need("systemd-analyze")
    broken = (ROOT / "systemd/kiosk.service").read_text(encoding="utf-8")
    broken = broken.replace("/var/lib/kiosk/app/current/bin/kiosk", "/nonexistent/kiosk")
    (image_root / "etc/systemd/system/broken-test.service").write_text(broken, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", f"--root={image_root}",
                           "broken-test.service"], capture_output=True, text=True,
                          timeout=60, check=False)  # fmt: skip
    (image_root / "etc/systemd/system/broken-test.service").unlink()
    assert done.returncode != 0 and "/nonexistent/kiosk" in done.stderr


def test_till_unit_is_a_watched_notify_service_as_the_kiosk_user() -> None:
    service = unit("kiosk.service")["Service"]
    assert service["Type"] == ["notify"] and service["Restart"] == ["always"]
    assert int(service["WatchdogSec"][0]) >= 10  # pings every WatchdogSec/2 from the UI
    assert service["User"] == ["kiosk"]
    groups = set(service["SupplementaryGroups"][0].split())
    assert {"input", "gpio", "lp", "dialout"} <= groups
    assert service["ProtectSystem"] == ["strict"]
    assert "/var/lib/kiosk/data" in service["ReadWritePaths"][0].split()
    assert service["PrivateTmp"] == ["yes"] and service["NoNewPrivileges"] == ["yes"]
    assert service["Environment"][0] == "KIOSK_DATA_DIR=/var/lib/kiosk/data"


def test_the_agent_yields_the_cpu_and_the_card_to_the_till() -> None:
    """A backlog drained after an outage must not slow the till's sales (ADR 8)."""
    agent, till = unit("kiosk-agent.service")["Service"], unit("kiosk.service")["Service"]
    assert int(agent["Nice"][0]) > int(till.get("Nice", ["0"])[0])
    for weight in ("CPUWeight", "IOWeight"):
        assert int(agent[weight][0]) < int(till.get(weight, ["100"])[0])  # systemd: 100
    # The scheduler preempts a SCHED_IDLE task for a waking till thread (ADR 10); the agent's I/O
    # stays best-effort instead of following the policy into the idle class.
    assert agent["CPUSchedulingPolicy"] == ["idle"] and "CPUSchedulingPolicy" not in till
    assert agent["IOSchedulingClass"] == ["best-effort"]


def test_backup_timer_runs_the_backup_nightly() -> None:
    timer = unit("kiosk-backup.timer")["Timer"]
    assert timer["OnCalendar"][0] == "*-*-* 02:30:00 Asia/Jakarta"  # night, whatever the clock
    assert timer["Persistent"][0] in ("true", "yes")
    command = unit("kiosk-backup.service")["Service"]["ExecStart"][0].split()
    assert command[1:3] == ["backup", "--to"]


def test_journald_limits_bound_what_the_card_holds() -> None:
    conf = configparser.ConfigParser()
    conf.read(ROOT / "systemd/journald.conf.d/kiosk.conf")
    journal = conf["Journal"]
    assert journal["SystemMaxUse"].endswith("M") and int(journal["SystemMaxUse"][:-1]) <= 128
    assert journal["Compress"] == "yes" and journal["SyncIntervalSec"] == "5m"


def test_security_exposure_of_the_till(image_root: Path) -> None:
    """`systemd-analyze security --offline` (systemd >= 252): the hardening is real."""
    need("systemd-analyze")
    done = subprocess.run(["systemd-analyze", "security", "--offline=true",
                           f"--root={image_root}", "--threshold=40",
                           "kiosk.service", "kiosk-agent.service"], capture_output=True,
                          text=True, timeout=60, check=False)  # fmt: skip
    if "Unknown option" in done.stderr or "unrecognized option" in done.stderr:
        pytest.skip("this systemd-analyze has no offline security check")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr


def test_bench_drain_runs_its_drain_as_the_unit_runs_the_agent(tmp_path: Path) -> None:
    from bench.bench_drain import agent_scheduling

    agent = unit("kiosk-agent.service")["Service"]
    assert agent_scheduling() == (int(agent["Nice"][0]), os.SCHED_IDLE)
    plain = tmp_path / "plain.service"
    plain.write_text("[Service]\n# CPUSchedulingPolicy=idle\nNice=5\n", encoding="utf-8")
    assert agent_scheduling(plain) == (5, os.SCHED_OTHER)
