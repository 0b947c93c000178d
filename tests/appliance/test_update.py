"""`kiosk update` in a temporary prefix with real wheels, venvs, symlinks and restarts:
good releases switch over, a release that never reports healthy is rolled back by
itself, one that fails its self-test is never switched in, and unsigned, tampered or
foreign-signed wheels are refused before anything is installed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.contract.release import sign
from kiosk.contract.setup_code import public_key_text
from tests.appliance.cli import kiosk
from tests.appliance.fake_release import build_wheel

pytestmark = pytest.mark.slow


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.prefix = root / "app"
        self.data = root / "data"
        self.key = Ed25519PrivateKey.generate()
        (self.data / "keys").mkdir(parents=True)
        (self.data / "keys/release.pub").write_text(public_key_text(self.key.public_key()))
        self.restarts = root / "restarts.log"
        self.restart = root / "restart.sh"
        # What systemctl restart does here: start whatever `current` is now.
        self.restart.write_text(
            f'echo "$(readlink {self.prefix}/current)" >> {self.restarts}\n'
            f"KIOSK_READY_FILE={self.data}/ready.json {self.prefix}/current/bin/kiosk run\n"
        )

    def release(self, version: str, behaviour: str = "good", signed: bool = True) -> Path:
        wheel = build_wheel(self.root / "dist" / version, version, behaviour)
        if signed:
            sign(wheel, self.key)
        return wheel

    def update(self, wheel: Path, timeout: str = "3"):  # type: ignore[no-untyped-def]
        return kiosk(self.data, "update", str(wheel), "--prefix", str(self.prefix),
                     "--restart-cmd", f"sh {self.restart}", "--health-timeout", timeout)  # fmt: skip

    def current(self) -> str:
        return os.readlink(self.prefix / "current")

    def releases(self) -> list[str]:
        folder = self.prefix / "releases"
        return sorted(p.name for p in folder.iterdir()) if folder.exists() else []

    def started(self) -> list[str]:
        return self.restarts.read_text().split() if self.restarts.exists() else []


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return Site(tmp_path_factory.mktemp("site"))


def test_first_release_then_an_update_switch_over(site: Site) -> None:
    done = site.update(site.release("1.0.0"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "updated to 1.0.0: healthy after" in done.stdout
    assert site.current().startswith("releases/1.0.0-")
    done = site.update(site.release("1.1.0"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert site.current().startswith("releases/1.1.0-")
    assert os.readlink(site.prefix / "previous").startswith("releases/1.0.0-")
    assert (site.prefix / "current/bin/kiosk").exists()
    assert [s.split("-")[0] for s in site.started()] == ["releases/1.0.0", "releases/1.1.0"]


def test_a_release_that_never_comes_up_is_rolled_back(site: Site) -> None:
    before, started = site.current(), len(site.started())
    done = site.update(site.release("1.2.0", "never-ready"), timeout="2")
    assert done.returncode == 1
    assert "1.2.0 did not report healthy within 2 s: rolled back to 1.1.0-" in done.stdout
    assert site.current() == before
    # Restarted on the broken one, then again on the one before.
    assert [s.split("-")[0] for s in site.started()[started:]] == [
        "releases/1.2.0", "releases/1.1.0"
    ]  # fmt: skip
    assert not any(name.startswith("1.2.0") for name in site.releases())


def test_a_release_whose_restart_fails_is_rolled_back(site: Site) -> None:
    """systemctl restart failing (the new till crashed at start) counts as not healthy."""
    before = site.current()
    script = site.restart.read_text()
    site.restart.write_text(script + 'case "$(readlink ' + str(site.prefix) + '/current)" in'
                            ' releases/1.4.0-*) exit 1;; esac\n')  # fmt: skip
    try:
        done = site.update(site.release("1.4.0"))
    finally:
        site.restart.write_text(script)
    assert done.returncode == 1, done.stdout
    assert "restarting the till failed (exit 1)" in done.stdout
    assert "rolled back to 1.1.0-" in done.stdout and site.current() == before


def test_a_release_failing_its_self_test_is_never_switched_in(site: Site) -> None:
    before, started = site.current(), len(site.started())
    done = site.update(site.release("1.3.0", "selftest-fails"))
    assert done.returncode == 1 and "the self-test failed (exit 1)" in done.stdout
    assert site.current() == before and len(site.started()) == started


def test_unsigned_tampered_and_foreign_releases_are_refused(site: Site, tmp_path: Path) -> None:
    releases = site.releases()
    unsigned = site.release("2.0.0", signed=False)
    tampered = site.release("2.0.1")
    data = bytearray(tampered.read_bytes())
    data[100] ^= 1
    tampered.write_bytes(bytes(data))
    foreign = build_wheel(tmp_path / "foreign", "2.0.2")
    sign(foreign, Ed25519PrivateKey.generate())
    cases = [(unsigned, "is not signed"), (tampered, "does not match its signature"),
             (foreign, "does not match its signature")]  # fmt: skip
    for wheel, reason in cases:
        done = site.update(wheel)
        assert done.returncode == 1 and reason in done.stdout, done.stdout
        assert "Traceback" not in done.stderr
    assert site.releases() == releases


def test_no_release_key_means_no_update(tmp_path: Path) -> None:
    other = Site(tmp_path)
    (other.data / "keys/release.pub").unlink()
    done = other.update(other.release("1.0.0"))
    assert done.returncode == 1 and "no release key provisioned" in done.stdout
    assert other.releases() == []


def test_the_real_selftest_passes_on_a_demo_ledger(tmp_path: Path) -> None:
    assert kiosk(tmp_path / "d", "demo-data").returncode == 0
    done = kiosk(tmp_path / "d", "selftest")
    assert done.returncode == 0 and done.stdout.startswith("selftest ok: ")
    (tmp_path / "d/ledger.sqlite").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    done = kiosk(tmp_path / "d", "selftest")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "selftest FAILED: ledger: file is not a database" in done.stdout
