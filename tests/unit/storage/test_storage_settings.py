import json
import os
import stat

import pytest

from kiosk.storage import atomic_json
from kiosk.storage.settings import SCHEMA, Settings, SettingsError


@pytest.fixture
def path(tmp_path):
    return tmp_path / "settings.json"


def stored(path):
    return json.loads(path.read_text())["settings"]["1"]


def test_defaults_without_a_file_and_nothing_written(path):
    s = Settings(path)
    assert s.get("store_id") == "store-1"
    assert s.get("timezone") == "Asia/Jakarta"
    assert s.get("mode") == "counter"
    assert s.get("broker.port") == 1883
    assert s.get("tax.rate_percent") == "11"
    assert s.get("tax.pkp") is True
    assert s.notice == ""
    assert not path.exists()
    assert set(s.all()) == set(SCHEMA)


@pytest.mark.parametrize(
    ("key", "text", "value"),
    [
        ("broker.port", "1884", 1884),
        ("tax.pkp", "false", False),
        ("broker.tls", "Yes", True),
        ("cash.rounding_step", "500", 500),
        ("tax.rate_percent", "12", "12"),
        ("timezone", "Asia/Makassar", "Asia/Makassar"),
        (
            "barcodes.variable",
            '[{"prefix": "20", "pattern": "PPIIIIIVVVVVC", "kind": "weight"}]',
            [{"prefix": "20", "pattern": "PPIIIIIVVVVVC", "kind": "weight"}],
        ),
        ("hardware.devices", '{"printer": {"kind": "usb"}}', {"printer": {"kind": "usb"}}),
        ("mode", "self-checkout", "self-checkout"),
    ],
)
def test_cli_strings_are_coerced_stored_and_read_back(path, key, text, value):
    Settings(path).set(key, text)
    assert Settings(path).get(key) == value
    assert stored(path)[key] == value


def test_typed_values_are_accepted_too(path):
    s = Settings(path)
    s.set("receipt.width", 32)
    s.set("tax.rate_percent", 11)
    assert (s.get("receipt.width"), s.get("tax.rate_percent")) == (32, "11")


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        ("broker.port", "70000", "1..65535"),
        ("broker.port", "http", "1..65535"),
        ("broker.port", True, "1..65535"),
        ("cash.rounding_step", "50", "0, 100 or 500"),
        ("receipt.width", "40", "32, 42 or 48"),
        ("language", "fr", "id or en"),
        ("mode", "attended", "self-checkout or counter"),
        ("timezone", "Mars/Olympus", "IANA time zone"),
        ("tax.rate_percent", "101", "0..100"),
        ("tax.rate_percent", "abc", "0..100"),
        ("tax.pkp", "maybe", "true or false"),
        ("hardware", "virtual", "simulated or real"),
        ("barcodes.variable", "[1, 2]", "rule objects"),
        ("store_id", "", "non-empty"),
    ],
)
def test_bad_values_name_the_key_and_what_is_allowed(path, key, value, allowed):
    s = Settings(path)
    with pytest.raises(SettingsError, match=key.replace(".", r"\.")) as err:
        s.set(key, value)
    assert allowed in str(err.value)
    assert not path.exists()


def test_unknown_key(path):
    with pytest.raises(SettingsError, match=r"unknown setting 'broker\.prot'"):
        Settings(path).set("broker.prot", "1")
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings(path).get("nope")


def test_set_many_is_all_or_nothing(path):
    s = Settings(path)
    s.set("broker.host", "mqtt.local")
    with pytest.raises(SettingsError, match=r"broker\.port"):
        s.set_many({"broker.host": "other", "broker.port": "0"})
    assert Settings(path).get("broker.host") == "mqtt.local"


def test_reset_returns_to_the_default(path):
    s = Settings(path)
    s.set("language", "en")
    s.reset("language")
    assert s.get("language") == "id"
    assert "language" not in stored(path)


def test_password_is_returned_but_masked_for_display(path):
    s = Settings(path)
    s.set("broker.password", "s3cret")
    assert s.get("broker.password") == "s3cret"
    shown = s.masked()
    assert shown["broker.password"] == "********"
    assert "s3cret" not in json.dumps(shown)
    assert s.masked()["broker.username"] == ""


def test_writes_are_atomic_private_and_keep_the_previous_good_copy(path):
    s = Settings(path)
    s.set("language", "en")
    assert not path.with_name("settings.json.bak").exists()  # nothing good to keep yet
    s.set("broker.port", 1884)
    assert stored(path) == {"language": "en", "broker.port": 1884}
    backup = json.loads(path.with_name("settings.json.bak").read_text())
    assert backup["settings"]["1"] == {"language": "en"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json", "settings.json.bak"]


def test_a_crash_before_the_rename_leaves_the_old_file_intact(path, monkeypatch):
    s = Settings(path)
    s.set("language", "en")

    def crash(src, dst):
        if str(dst) == str(path):
            raise OSError("power cut")
        os.rename(src, dst)

    monkeypatch.setattr(atomic_json.os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        s.set("language", "id")
    monkeypatch.undo()
    assert Settings(path).get("language") == "en"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def damage_after_two_writes(path, damage: bytes):
    s = Settings(path)
    s.set("broker.host", "first.example")
    s.set("broker.host", "second.example")
    path.write_bytes(damage)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (b'{"settings": {"1": {"broker.host": "sec', "not valid JSON"),
        (b"\x00\xff\xfe garbage \x93", "not valid JSON"),
        (b"", "empty"),
        (b'{"settings": {"1": {"broker.port": 0}}}', "broker.port"),
        (b'{"settings": {"1": {"no.such.key": 1}}}', "unknown setting"),
        (b"[1, 2, 3]", "JSON object"),
    ],
)
def test_a_damaged_file_falls_back_to_the_backup_with_a_notice(path, damage, reason, caplog):
    damage_after_two_writes(path, damage)
    s = Settings(path)
    assert s.get("broker.host") == "first.example"
    assert "settings.json was unreadable" in s.notice
    assert reason in s.notice
    assert "settings.json.bak" in s.notice
    assert s.notice in caplog.text
    s.set("language", "en")  # repairs the main file; the backup stays the good old one
    fresh = Settings(path)
    assert fresh.notice == ""
    assert (fresh.get("broker.host"), fresh.get("language")) == ("first.example", "en")


def test_a_missing_main_file_with_a_backup_uses_the_backup(path):
    damage_after_two_writes(path, b"")
    path.unlink()
    s = Settings(path)
    assert s.get("broker.host") == "first.example"
    assert "settings.json was missing" in s.notice


def test_both_files_damaged_is_an_error_not_a_silent_reset(path):
    damage_after_two_writes(path, b"{oops")
    path.with_name("settings.json.bak").write_bytes(b'{"settings": {"1": {"mode": "x"}}}')
    with pytest.raises(SettingsError, match=r"backup settings\.json\.bak is unusable too") as err:
        Settings(path)
    assert "mode" in str(err.value)
    assert "defaults are not used" in str(err.value)
