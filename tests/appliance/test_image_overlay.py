"""The SD-card image's overlay, built into a temporary root by the same script the pi-gen
stage runs: users, groups, permissions, enabled units, udev rules, boot config, fstab;
and shellcheck over every shell script of the project."""

from __future__ import annotations

import grp
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

from tests.appliance.conftest import ROOT, need


def table(root: Path, name: str) -> dict[str, list[str]]:
    rows = (line.split(":") for line in (root / "etc" / name).read_text().splitlines() if line)
    return {row[0]: row for row in rows}


def test_the_kiosk_user_and_its_groups(image_root: Path) -> None:
    users, groups = table(image_root, "passwd"), table(image_root, "group")
    kiosk = users["kiosk"]
    assert kiosk[5] == "/var/lib/kiosk/data" and kiosk[6] == "/usr/sbin/nologin"
    assert int(kiosk[2]) >= 100 and int(kiosk[2]) != 0  # a system user, never root
    for group in ("input", "gpio", "lp", "dialout", "video", "render"):
        assert "kiosk" in groups[group][3].split(","), group
    assert "kiosk" not in groups.get("sudo", ["", "", "", ""])[3].split(",")


def test_directories_and_their_owners(image_root: Path) -> None:
    uid = int(table(image_root, "passwd")["kiosk"][2])
    expected = {"var/lib/kiosk/data": (0o700, uid), "var/lib/kiosk/backups": (0o700, uid),
                "var/lib/kiosk/app": (0o755, 0), "var/lib/kiosk/app/releases": (0o755, 0)}  # fmt: skip
    for rel, (mode, owner) in expected.items():
        info = (image_root / rel).stat()
        assert (stat.S_IMODE(info.st_mode), info.st_uid) == (mode, owner), rel
    journal = (image_root / "var/lib/kiosk/journal").stat()
    journal_gid = int(table(image_root, "group")["systemd-journal"][2])
    assert journal.st_gid == journal_gid and journal.st_mode & stat.S_ISGID


def test_units_are_installed_and_enabled(image_root: Path) -> None:
    etc = image_root / "etc/systemd/system"
    wants = {
        "multi-user.target.wants": ("kiosk.service", "kiosk-agent.service"),
        "timers.target.wants": ("kiosk-backup.timer",),
        "local-fs.target.wants": ("kiosk-data-partition.service",),
    }
    for target, units in wants.items():
        for unit in units:
            link = etc / target / unit
            # Absolute inside the image: /etc/systemd/system/<unit> on the device.
            assert os.readlink(link) == f"/etc/systemd/system/{unit}", unit
    assert os.readlink(etc / "getty@tty1.service") == "/dev/null"  # the till owns tty1
    assert (etc / "kiosk-update@.service").is_file()  # started on demand, never enabled
    rule = image_root / "etc/polkit-1/rules.d/50-kiosk-update.rules"
    assert 'subject.user == "kiosk"' in rule.read_text()
    assert not (etc / "fleet.service").exists()  # the central host's unit stays off kiosks
    for unit in etc.glob("kiosk*"):
        if unit.is_file():
            assert stat.S_IMODE(unit.stat().st_mode) == 0o644
    journald = image_root / "etc/systemd/journald.conf.d/kiosk.conf"
    assert journald.read_bytes() == (ROOT / "systemd/journald.conf.d/kiosk.conf").read_bytes()


def test_udev_rules_and_the_usb_mount_helper(image_root: Path) -> None:
    rules = sorted(p.name for p in (ROOT / "firmware").glob("*.rules"))
    assert "99-kiosk-usb-setup.rules" in rules and len(rules) >= 4
    for name in rules:
        installed = image_root / "etc/udev/rules.d" / name
        assert installed.read_bytes() == (ROOT / "firmware" / name).read_bytes()
        assert stat.S_IMODE(installed.stat().st_mode) == 0o644
    for helper in ("usr/local/sbin/kiosk-data-partition", "usr/local/bin/kiosk"):
        assert stat.S_IMODE((image_root / helper).stat().st_mode) == 0o755
    wrapper = (image_root / "usr/local/bin/kiosk").read_text()
    assert "exec /var/lib/kiosk/app/current/bin/kiosk" in wrapper


def test_boot_config_and_fstab_are_written_once(image_root: Path, tmp_path: Path) -> None:
    config = (image_root / "boot/firmware/config.txt").read_text()
    assert config.count("include kiosk/kiosk-common.txt") == 1
    assert "include kiosk/display-dsi7.txt" in config
    for fragment in ("kiosk-common.txt", "display-dsi7.txt", "display-hdmi.txt"):
        assert (image_root / "boot/firmware/kiosk" / fragment).is_file()
    fstab = (image_root / "etc/fstab").read_text()
    assert "LABEL=KIOSKDATA /var/lib/kiosk ext4" in fstab
    assert "/var/lib/kiosk/journal /var/log/journal none bind" in fstab
    # Run again (a rebuild) with the HDMI panel: replaced, not appended twice.
    again = tmp_path / "root"
    shutil.copytree(image_root, again, symlinks=True)
    (again / "boot/firmware/cmdline.txt").write_text("console=tty1 root=PARTUUID=1 rootwait\n")
    script = ROOT / "image-build/install-overlay.sh"
    done = subprocess.run(["bash", str(script), str(again), "hdmi"], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    config = (again / "boot/firmware/config.txt").read_text()
    assert config.count("# kiosk display") == 1 and "display-hdmi.txt" in config
    assert "display-dsi7" not in config
    assert (again / "etc/fstab").read_text().count("LABEL=KIOSKDATA") == 1
    cmdline = (again / "boot/firmware/cmdline.txt").read_text()
    assert cmdline.count("consoleblank=0") == 1 and len(cmdline.splitlines()) == 1
    assert table(again, "passwd")["kiosk"][2] == table(image_root, "passwd")["kiosk"][2]
    refused = subprocess.run(["bash", str(script), str(again), "vga"], capture_output=True,
                             text=True, timeout=60, check=False)  # fmt: skip
    assert refused.returncode == 2 and "display must be dsi7 or hdmi" in refused.stderr


def tracked_files() -> list[Path]:
    """The project's own files (git's list: not a built image root, a venv or caches)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                            check=False, timeout=60)  # fmt: skip
    if listed.returncode != 0:  # not a git checkout (an unpacked source release)
        return [
            p for p in sorted(ROOT.rglob("*")) if ".venv" not in p.parts and "var" not in p.parts
        ]
    return [ROOT / name for name in sorted(listed.stdout.decode().split("\0")) if name]


def shell_scripts() -> list[Path]:
    found = []
    for path in tracked_files():
        if not path.is_file():
            continue
        if path.suffix == ".sh":
            found.append(path)
        elif path.suffix == "" and path.stat().st_size < 100_000:
            with path.open("rb") as handle:
                if handle.read(20).startswith(
                    (b"#!/bin/bash", b"#!/usr/bin/env bash", b"#!/bin/sh")
                ):
                    found.append(path)
    return found


def test_shellcheck_passes_on_every_script() -> None:
    need("shellcheck")
    scripts = shell_scripts()
    assert ROOT / "image-build/install-overlay.sh" in scripts
    assert ROOT / "image-build/overlay/usr/local/sbin/kiosk-data-partition" in scripts
    done = subprocess.run(["shellcheck", "-x", *map(str, scripts)], capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]


def test_this_host_has_the_groups_the_test_assumes() -> None:
    """The seeded base system is Debian's: input and lp exist there as here."""
    assert grp.getgrnam("lp") is not None


def test_the_polkit_rule_lets_the_kiosk_user_start_an_update_and_nothing_else() -> None:
    """The rule file evaluated by node with polkit's two objects stood in for."""
    need("node")
    rule = (ROOT / "image-build/overlay/etc/polkit-1/rules.d/50-kiosk-update.rules").read_text()
    cases = [
        ("kiosk", "kiosk-update@pi_pos-1.2.0-py3-none-any.whl.service", "start", "yes"),
        ("kiosk", "kiosk-update@pi_pos-1.2.0-py3-none-any.whl.service", "stop", "none"),
        ("kiosk", "kiosk.service", "start", "none"),
        ("kiosk", "kiosk-update@x.sh.service", "start", "none"),
        ("pi", "kiosk-update@pi_pos-1.2.0-py3-none-any.whl.service", "start", "none"),
    ]
    script = (
        "const rules=[];const polkit={Result:{YES:'yes'},addRule:f=>rules.push(f)};\n"
        + rule
        + "\nconst cases=JSON.parse(process.argv[1]);for(const [user,unit,verb] of cases){"
        "const action={id:'org.freedesktop.systemd1.manage-units',"
        "lookup:k=>({unit:unit,verb:verb})[k]};"
        "console.log(rules[0](action,{user:user})||'none');}"
    )
    done = subprocess.run(["node", "-e", script, json.dumps([c[:3] for c in cases])],
                          capture_output=True, text=True, timeout=30, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [c[3] for c in cases]
