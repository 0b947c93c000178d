"""``kiosk replay`` enforces limits.max_qty at the step that types the quantity."""

from __future__ import annotations

from pathlib import Path

from kiosk.testing.cli import kiosk, replay


def test_a_replay_quantity_above_the_limit_stops_at_its_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert kiosk(data, "demo-data").returncode == 0
    assert kiosk(data, "settings", "set", "limits.max_qty", "20").returncode == 0
    done = replay(data, [{"scan": "8991000000003"}, {"qty": 21}, {"pay": {"method": "cash"}}])
    assert done.returncode == 2
    assert "script.jsonl:2: Quantity 21 is above this till's limit of 20 per item" in done.stderr
    assert done.stdout == ""  # nothing was sold
    ok = replay(data, [{"scan": "8991000000003"}, {"qty": 20}, {"pay": {"method": "cash"}}])
    assert ok.returncode == 0, ok.stderr
