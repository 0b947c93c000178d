"""`make run-fleet`'s script, started briefly: a broker, the fleet and three simulated
kiosks (real agents) whose demo sales reach the fleet; Ctrl-C (SIGINT) stops every
process it started, the kiosks saying "offline" first."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from fleet.storage import schema
from fleet.storage.engine import open_engine
from kiosk.testing.broker_process import eventually, free_port, mosquitto_binary

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.broker, pytest.mark.slow]


def kiosks(url: str) -> dict[str, tuple[str, int]]:
    """Each live kiosk (k3) of the demo: (state, sales stored)."""
    engine = open_engine(url, migrate_schema=False)
    d, s = schema.devices, schema.sales
    try:
        with engine.connect() as conn:
            states = dict(conn.execute(sa.select(d.c.store_id, d.c.state).where(
                d.c.device_id == "k3")).all())  # fmt: skip
            sold = dict(conn.execute(sa.select(s.c.store_id, sa.func.count()).where(
                s.c.device_id == "k3").group_by(s.c.store_id)).all())  # fmt: skip
    except sa.exc.OperationalError:  # not created yet
        return {}
    finally:
        engine.dispose()
    return {store: (state, int(sold.get(store, 0))) for store, state in states.items()}


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_three_kiosks_come_online_sell_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    if mosquitto_binary() is None:
        pytest.skip("mosquitto is not installed")
    work = tmp_path / "demo"
    out = tmp_path / "out.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, str(ROOT / "scripts" / "run_fleet_demo.py"), "--dir", str(work),
            "--own-broker", "--no-history", "--sale-every", "0.5",
            "--http", f"127.0.0.1:{free_port()}"]  # fmt: skip
    with out.open("wb") as sink:
        demo = subprocess.Popen(argv, env=env, stdout=sink, stderr=subprocess.STDOUT)
    url = f"sqlite:///{work / 'fleet.sqlite'}"
    try:
        stores = {"toko-bandung", "toko-depok", "toko-malang"}

        def all_selling() -> bool:
            seen = kiosks(url)
            return set(seen) == stores and all(
                state == "online" and sold > 0 for state, sold in seen.values()
            )

        assert eventually(all_selling, timeout=120), out.read_text() + str(kiosks(url))
        # The hint is printed once the dashboard answers, which may come after the
        # first sales on a busy machine.
        assert eventually(lambda: "sign in as demo / demo-pos" in out.read_text(), timeout=60)
    finally:
        demo.send_signal(signal.SIGINT)
        code = demo.wait(90)
    text = out.read_text()
    assert code == 0, text
    pids = [int(p) for p in text.split("children: ", 1)[1].splitlines()[0].split()]
    assert len(pids) == 4 and all(gone(pid) for pid in pids)  # the fleet and three agents
    assert {state for state, _ in kiosks(url).values()} == {"offline"}
    assert "run-fleet: stopped" in text
