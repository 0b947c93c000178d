"""Low free space is seen long before a sale fails: health says so, one alert is raised
and later cleared, the screen can ask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from kiosk.storage.disk_space import MB, DiskWatch, measure
from kiosk.storage.ledger import SqliteLedger
from kiosk.telemetry.health import HealthCollector

AT = "2026-11-27T03:00:00.000000Z"


def alerts(ledger: SqliteLedger) -> list[dict[str, object]]:
    rows = ledger.conn.execute("SELECT payload FROM outbox WHERE topic = 'alert' ORDER BY id")
    return [json.loads(r[0]) for r in rows]


def test_measure_reports_the_file_system_of_the_path(tmp_path: Path) -> None:
    space = measure(tmp_path, 1)
    assert space.free_bytes is not None and space.total_bytes is not None
    assert 0 < space.free_bytes <= space.total_bytes == shutil.disk_usage(tmp_path).total
    assert not space.low
    assert measure(tmp_path / "missing", 1).free_bytes is None


def test_one_alert_while_low_and_one_clear_when_space_is_back(
    ledger: SqliteLedger, tmp_path: Path
) -> None:
    free = shutil.disk_usage(tmp_path).free
    watch = DiskWatch(tmp_path, store_id="s1", device_id="kiosk-1", min_free_bytes=free * 2)
    assert watch.check(ledger.conn, AT).low
    assert watch.check(ledger.conn, AT).low
    [raised] = alerts(ledger)
    assert raised["kind"] == "disk_low" and raised["severity"] == "warning"
    assert raised["detail"]["condition"] == "disk_low"
    assert "disk space low" in str(raised["message"])
    watch.min_free_bytes = free // 4  # space is back, well above the line
    assert not watch.check(ledger.conn, AT).low
    watch.check(ledger.conn, AT)
    cleared = alerts(ledger)[1:]
    assert [(a["kind"], a["cleared"]) for a in cleared] == [("disk_low", True)]
    assert cleared[0]["detail"]["clears"] == raised["alert_id"]


def test_health_carries_disk_and_clock_state(ledger: SqliteLedger, tmp_path: Path) -> None:
    huge = shutil.disk_usage(tmp_path).total * 2
    collector = HealthCollector("s1", "kiosk-1", "1.0", disk_path=tmp_path, min_free_bytes=huge,
                                thermal_path=tmp_path / "none")  # fmt: skip
    ledger.remember_time(AT, synchronised=False)
    doc = collector(ledger.conn)
    assert doc["detail"]["disk"]["low"] is True
    assert doc["detail"]["disk"]["min_free_bytes"] == huge
    assert doc["detail"]["clock"] == {"synchronised": False}
    assert [a["kind"] for a in alerts(ledger)] == ["disk_low", "clock_not_synchronised"]
    assert doc["disk_free_bytes"] is not None and doc["disk_free_bytes"] >= 0
    assert huge > MB


def test_one_clock_alert_while_behind_and_one_clear_when_set(
    ledger: SqliteLedger, tmp_path: Path
) -> None:
    collector = HealthCollector("s1", "kiosk-1", "1.0", disk_path=tmp_path, min_free_bytes=1,
                                thermal_path=tmp_path / "none")  # fmt: skip
    collector(ledger.conn)  # never known: nothing to say
    ledger.remember_time(AT, synchronised=False)
    collector(ledger.conn)
    collector(ledger.conn)
    ledger.remember_time("2026-11-27T03:05:00.000000Z", synchronised=True)
    collector(ledger.conn)
    collector(ledger.conn)
    raised, cleared = alerts(ledger)
    assert (raised["kind"], raised["severity"], raised["cleared"]) == (
        "clock_not_synchronised", "warning", False)  # fmt: skip
    assert "clock not synchronised" in str(raised["message"])
    assert (cleared["kind"], cleared["cleared"]) == ("clock_not_synchronised", True)
    assert cleared["detail"] == {"clears": raised["alert_id"]}
