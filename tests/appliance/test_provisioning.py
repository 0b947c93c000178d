"""Provisioning end to end: the fleet makes a store's setup codes (signed, as QR codes and
USB files), `kiosk provision` applies one; damaged, tampered, unsigned and foreign codes
are refused with the reason and change nothing."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fleet.setup_codes import load_key, new_key, store_codes
from fleet.setup_codes import main as fleet_main
from kiosk.contract.setup_code import Broker, SetupCode, checksum, encode
from tests.appliance.cli import kiosk


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fleet's setup key, a release key, and the setup codes for store `toko-7`."""
    home = tmp_path_factory.mktemp("fleet")
    setup_pub = new_key(home / "setup.key")
    release_pub = new_key(home / "release.key")
    out = home / "codes"
    code = fleet_main(["store", "--key", str(home / "setup.key"), "--store", "toko-7",
                       "--devices", "lane-1", "lane-2", "--broker-host", "mqtt.toko.example",
                       "--release-key", str(release_pub), "--out", str(out)])  # fmt: skip
    assert code == 0
    return {"setup_pub": setup_pub, "release_pub": release_pub, "out": out,
            "key": home / "setup.key"}  # fmt: skip


def trusting(fleet: dict[str, Path]) -> dict[str, str]:
    return {"KIOSK_SETUP_KEY": str(fleet["setup_pub"])}


def state(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data.rglob("*") if p.is_file()}


def code_for(fleet: dict[str, Path], device: str) -> str:
    return (fleet["out"] / device / "kiosk-setup.txt").read_text(encoding="ascii").strip()


def test_a_scanned_setup_code_provisions_the_kiosk(fleet: dict[str, Path], tmp_path: Path) -> None:
    data = tmp_path / "kiosk"
    done = kiosk(data, "provision", code_for(fleet, "lane-2"), **trusting(fleet))
    assert done.returncode == 0, done.stderr
    assert "store toko-7, device lane-2 (signed)" in done.stdout
    shown = json.loads(kiosk(data, "settings", "show").stdout)
    assert shown["store_id"] == "toko-7" and shown["device_id"] == "lane-2"
    assert shown["broker.host"] == "mqtt.toko.example" and shown["broker.tls"] is True
    assert shown["broker.username"] == "lane-2" and shown["broker.password"] == "********"
    release = (data / "keys/release.pub").read_text(encoding="ascii").strip()
    assert release == fleet["release_pub"].read_text(encoding="ascii").strip()
    status = json.loads(kiosk(data, "provision", "--status").stdout)
    assert status["device_id"] == "lane-2" and status["signed"] is True


def test_the_printed_qr_code_scans_back_to_the_same_code(
    fleet: dict[str, Path], tmp_path: Path
) -> None:
    if shutil.which("zbarimg") is None:
        pytest.skip("needs zbarimg (zbar-tools)")
    sheet = (fleet["out"] / "setup-toko-7.html").read_text(encoding="utf-8")
    assert sheet.count("<svg") == 2 and "toko-7 / lane-1" in sheet
    png = tmp_path / "lane-1.png"
    segno.make(code_for(fleet, "lane-1"), error="m", micro=False).save(png, scale=4)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", "--nodbus", str(png)],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    assert scanned == code_for(fleet, "lane-1")
    done = kiosk(tmp_path / "kiosk", "provision", scanned, **trusting(fleet))
    assert done.returncode == 0, done.stderr


def tampered_body(text: str) -> str:
    """An attacker's edit: another broker, with the checksum recomputed to match."""
    prefix, body, _check, signature = text.split(".")
    doc = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    doc["broker"]["host"] = "evil.example"
    new_body = base64.urlsafe_b64encode(json.dumps(doc).encode()).rstrip(b"=").decode()
    head = f"{prefix}.{new_body}"
    return f"{head}.{checksum(head)}.{signature}"


def refusals(fleet: dict[str, Path]) -> list[tuple[str, str]]:
    good = code_for(fleet, "lane-1")
    foreign = Ed25519PrivateKey.generate()
    code = SetupCode("toko-7", "lane-1", Broker("mqtt.toko.example"), "Asia/Jakarta")
    damaged = good[:20] + ("A" if good[20] != "A" else "B") + good[21:]
    return [
        ("hello", "not a setup code"),
        (damaged, "damaged or incomplete (checksum does not match)"),
        (good.rsplit(".", 1)[0], "not signed; this kiosk accepts signed codes only"),
        (tampered_body(good), "signature is not from this fleet"),
        (encode(code, foreign), "signature is not from this fleet"),
        ("PPOS1." + "A" * 3000, "too long"),
    ]


def test_bad_codes_are_refused_with_the_reason_and_change_nothing(
    fleet: dict[str, Path], tmp_path: Path
) -> None:
    data = tmp_path / "kiosk"
    assert kiosk(data, "settings", "set", "store_id", "before").returncode == 0
    before = state(data)
    for text, reason in refusals(fleet):
        done = kiosk(data, "provision", text, **trusting(fleet))
        assert done.returncode == 2, (text, done.stdout)
        assert "setup code refused, nothing changed" in done.stderr and reason in done.stderr
        assert "Traceback" not in done.stderr
        assert state(data) == before


def test_a_signed_code_with_a_bad_field_is_refused(fleet: dict[str, Path], tmp_path: Path) -> None:
    """The fleet itself cannot sign nonsense: the fields are checked on both sides."""
    key = load_key(fleet["key"])
    with pytest.raises(ValueError, match="unknown time zone"):
        store_codes(key, "toko-7", ["x"], Broker("h"), timezone="Mars/Olympus")
    head_doc = {"v": 1, "store_id": "toko-7", "device_id": "lane 1!", "timezone": "UTC",
                "broker": {"host": "h", "port": 1883, "username": "", "password": "",
                           "tls": False}}  # fmt: skip
    body = base64.urlsafe_b64encode(json.dumps(head_doc).encode()).rstrip(b"=").decode()
    head = f"PPOS1.{body}"
    sig = base64.urlsafe_b64encode(key.sign(head.encode())).rstrip(b"=").decode()
    data = tmp_path / "kiosk"
    done = kiosk(data, "provision", f"{head}.{checksum(head)}.{sig}", **trusting(fleet))
    assert done.returncode == 2 and "device_id must be 1-64 letters" in done.stderr
    assert not (data / "provisioned.json").exists()


def test_without_a_setup_key_only_the_checksum_is_checked(
    fleet: dict[str, Path], tmp_path: Path
) -> None:
    done = kiosk(tmp_path / "k", "provision", code_for(fleet, "lane-1"),
                 KIOSK_SETUP_KEY=str(tmp_path / "none.pub"))  # fmt: skip
    assert done.returncode == 0 and "checksum only: no setup key installed" in done.stdout


def test_a_file_or_a_usb_stick_provisions_too(fleet: dict[str, Path], tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    shutil.copytree(fleet["out"] / "lane-1", stick)
    env = {**trusting(fleet), "KIOSK_SETUP_PATHS": str(stick)}
    done = kiosk(tmp_path / "a", "provision", "--usb", **env)
    assert done.returncode == 0 and "device lane-1" in done.stdout, done.stderr
    done = kiosk(tmp_path / "b", "provision", "--file", str(stick / "kiosk-setup.txt"), **env)
    assert done.returncode == 0, done.stderr
    empty = {**trusting(fleet), "KIOSK_SETUP_PATHS": str(tmp_path / "nothing")}
    done = kiosk(tmp_path / "c", "provision", "--usb", **empty)
    assert done.returncode == 2 and "no kiosk-setup.txt on a USB stick" in done.stderr


def test_headless_commands_work_on_an_unprovisioned_kiosk(tmp_path: Path) -> None:
    data = tmp_path / "k"
    env = {"KIOSK_REQUIRE_SETUP": "1"}
    assert kiosk(data, "demo-data", **env).returncode == 0
    script = tmp_path / "s.jsonl"
    script.write_text('{"scan": "8991000000003"}\n{"pay": {"method": "cash"}}\n')
    for args in (("replay", str(script)), ("report", "x"), ("journal", "verify")):
        done = kiosk(data, *args, **env)
        assert done.returncode == 0, (args, done.stderr)
    assert not (data / "provisioned.json").exists()
