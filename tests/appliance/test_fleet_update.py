"""A fleet-driven update on the kiosk: download from a real HTTP server, check sha256 and
the signature against the provisioned key, then apply only inside the update window."""

from __future__ import annotations

import shlex
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.appliance import fleet_update
from kiosk.appliance.fleet_update import PendingUpdate
from kiosk.contract.release import sign
from tests.appliance.release_server import digest, serving, signed_release, trusting

NIGHT = datetime(2026, 11, 30, 2, 30)
NOON = datetime(2026, 11, 30, 12, 0)


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def schedule(data: Path, base: str, wheel: Path, **changes: str) -> PendingUpdate:
    pending = PendingUpdate("9.1.0", wheel.name, f"{base}/{wheel.name}", digest(wheel), "c1")
    pending = replace(pending, **changes)
    fleet_update.write_pending(data, pending)
    return pending


def copy_command(target: Path) -> str:
    """An apply command that copies the verified wheel to ``target`` (a stand-in for
    systemctl start kiosk-update@...; kiosk update itself is tested in test_update)."""
    script = f"import shutil, sys; shutil.copy(sys.argv[1], {str(target)!r})"
    return f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {{path}}"


def test_a_verified_release_waits_for_the_window_then_is_applied(
    tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    data = trusting(tmp_path / "data", key)
    wheel = signed_release(tmp_path / "shelf", key)
    applied = tmp_path / "applied.whl"
    with serving(wheel.parent) as base:
        schedule(data, base, wheel)
        fleet_update.prepare(data)
    pending = fleet_update.read_pending(data)
    assert pending is not None and pending.state == "ready", pending
    fetched = data / "releases" / wheel.name
    assert fetched.read_bytes() == wheel.read_bytes()
    # Noon is business hours: nothing is applied.
    assert not fleet_update.apply_if_due(data, "01:00-05:00", copy_command(applied), NOON)
    assert not applied.exists()
    assert fleet_update.apply_if_due(data, "01:00-05:00", copy_command(applied), NIGHT)
    assert applied.read_bytes() == wheel.read_bytes()
    assert fleet_update.read_pending(data).state == "applying"  # type: ignore[union-attr]
    # Applied once: the next tick does not start it again.
    applied.unlink()
    assert not fleet_update.apply_if_due(data, "01:00-05:00", copy_command(applied), NIGHT)
    assert not applied.exists()


def test_a_download_that_is_not_the_announced_release_is_refused(
    tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    data = trusting(tmp_path / "data", key)
    wheel = signed_release(tmp_path / "shelf", key)
    with serving(wheel.parent) as base:
        schedule(data, base, wheel, sha256="0" * 64)
        fleet_update.prepare(data)
    pending = fleet_update.read_pending(data)
    assert pending is not None and pending.state == "failed"
    assert "sha256" in pending.reason and "fleet announced" in pending.reason
    assert not (data / "releases" / wheel.name).exists()
    assert not fleet_update.apply_if_due(data, "00:00-24:00", "false", NIGHT)


def test_a_release_signed_with_another_key_is_refused_and_removed(
    tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    data = trusting(tmp_path / "data", key)
    wheel = signed_release(tmp_path / "shelf", key)
    sign(wheel, Ed25519PrivateKey.generate())  # the shelf now holds a foreign signature
    with serving(wheel.parent) as base:
        schedule(data, base, wheel)
        fleet_update.prepare(data)
    pending = fleet_update.read_pending(data)
    assert pending is not None and pending.state == "failed"
    assert "signature" in pending.reason
    assert list((data / "releases").glob("*.whl")) == []


def test_an_unreachable_or_missing_release_fails_with_the_reason(
    tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    data = trusting(tmp_path / "data", key)
    wheel = signed_release(tmp_path / "shelf", key)
    (tmp_path / "empty").mkdir()
    with serving(tmp_path / "empty") as base:
        schedule(data, base, wheel)
        fleet_update.prepare(data)
    pending = fleet_update.read_pending(data)
    assert pending is not None and pending.state == "failed" and "404" in pending.reason


def test_an_apply_command_that_fails_is_recorded(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    data = trusting(tmp_path / "data", key)
    wheel = signed_release(tmp_path / "shelf", key)
    with serving(wheel.parent) as base:
        schedule(data, base, wheel)
        fleet_update.prepare(data)
    command = f"{shlex.quote(sys.executable)} -c 'import sys; sys.exit(\"unit not found\")'"
    assert not fleet_update.apply_if_due(data, "00:00-24:00", command, NOON)
    pending = fleet_update.read_pending(data)
    assert pending is not None and pending.state == "failed"
    assert pending.reason == "apply exited 1: unit not found"


def test_a_failure_is_handed_over_for_the_fleet_once(
    tmp_path: Path, key: Ed25519PrivateKey
) -> None:
    data = trusting(tmp_path / "data", key)
    wheel = signed_release(tmp_path / "shelf", key)
    assert fleet_update.take_failure(data) is None  # nothing pending
    with serving(wheel.parent) as base:
        schedule(data, base, wheel, sha256="1" * 64)
        assert not fleet_update.run_due(data, "00:00-24:00", "true", UTC)
    failed = fleet_update.take_failure(data)
    assert failed is not None and failed.version == "9.1.0" and "sha256" in failed.reason
    assert fleet_update.take_failure(data) is None  # reported once
