"""Clean stops, real processes: ``kiosk run`` under X with a real mosquitto, stopped by
SIGTERM or SIGINT mid-basket, exits 0 within 5 s, says "offline" on its retained status,
and the next start offers the basket again ("sale restored"); so does a start after a
kill -9. ``kiosk replay`` on a long script and ``kiosk sync`` stop the same way."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.storage.open_basket import FILE_NAME, SqliteOpenBaskets
from kiosk.testing.broker_process import MosquittoProcess, TopicRecorder, mosquitto_binary

CHILD = Path(__file__).with_name("till_child.py")
TEH_330, TEH_600, PEN = "8991000000003", "8991000000010", "8991013000007"
STOP_WITHIN_S = 5.0
RESTORED = {"en": "The open sale was restored", "id": "Penjualan yang belum selesai dipulihkan"}


def kiosk(*args: str, data: Path, timeout: float = 120) -> str:
    done = subprocess.run([sys.executable, "-m", "kiosk", *args, "--data-dir", str(data)],
                          check=False, capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """The suite's X display (scripts/run-tests.sh), else an Xvfb of our own."""
    if os.environ.get("DISPLAY"):
        yield os.environ["DISPLAY"]
        return
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24"],
                              pass_fds=(write,), stderr=subprocess.DEVNULL)  # fmt: skip
    os.close(write)
    number = os.read(read, 16).decode().strip()
    os.close(read)
    yield f":{number}"
    server.terminate()
    server.wait(5)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("demo")
    kiosk("demo-data", data=data)
    return data


@pytest.fixture
def broker() -> Iterator[MosquittoProcess]:
    if mosquitto_binary() is None:
        pytest.skip("needs mosquitto")
    process = MosquittoProcess().start()
    yield process
    process.close()


class Till:
    """One ``kiosk run`` process (tests/faults/till_child.py) and what it printed."""

    def __init__(self, data: Path, display: str, tmp: Path, codes: tuple[str, ...] = ()):
        env = {**os.environ, "DISPLAY": display, "KIOSK_WINDOW": "800x480", "KIVY_NO_ARGS": "1",
               "KIVY_HOME": str(tmp / "kivy"), "KIOSK_HARDWARE": "simulated",
               "FEED_CODES": ",".join(codes)}  # fmt: skip
        self.out = tmp / f"till-{time.monotonic_ns()}.out"
        self.err = self.out.with_suffix(".err")
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), str(data), "self-checkout"],
                env=env, stdout=out, stderr=err,
            )  # fmt: skip

    def report(self, key: str, timeout: float = 60.0) -> dict[str, object]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.out.read_text().splitlines():
                if line.startswith("{") and key in (doc := json.loads(line)):
                    return dict(doc[key])
            assert self.process.poll() is None, self.err.read_text()[-3000:]
            time.sleep(0.05)
        raise AssertionError(f"no {key!r} from the till: {self.err.read_text()[-3000:]}")

    def stop(self, signum: int) -> tuple[int, float]:
        start = time.monotonic()
        self.process.send_signal(signum)
        try:
            code = self.process.wait(STOP_WITHIN_S + 5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError("the till ignored the signal") from None
        return code, time.monotonic() - start


def settings_for(data: Path, broker: MosquittoProcess) -> str:
    kiosk("settings", "set", "broker.port", str(broker.port), data=data)
    store = kiosk("settings", "get", "store_id", data=data)
    device = kiosk("settings", "get", "device_id", data=data)
    return f"pos/v1/{store}/{device}/status"


def states(watcher: TopicRecorder, topic: str) -> list[tuple[str, str]]:
    docs = [json.loads(p) for p in watcher.payloads(topic)]
    return [(str(d["state"]), str(d.get("reason", ""))) for d in docs]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_mid_basket_keeps_it_and_the_link_says_offline(
    signum: int, demo: Path, display: str, broker: MosquittoProcess, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo), str(data)], check=True)
    topic = settings_for(data, broker)
    watcher = TopicRecorder(broker.host, broker.port, [topic])
    try:
        till = Till(data, display, tmp_path, (TEH_330, TEH_600, PEN))
        before = till.report("scanned")
        assert before["lines"] == 3 and int(str(before["total"])) > 0
        assert watcher.wait_for(lambda: ("online", "") in states(watcher, topic))
        code, took = till.stop(signum)
        assert code == 0, till.err.read_text()[-3000:]
        assert took <= STOP_WITHIN_S, f"took {took:.1f} s to stop"
        assert "Traceback" not in till.err.read_text()
        # "offline" was said before the clean disconnect (a clean one sends no will)
        assert watcher.wait_for(lambda: states(watcher, topic)[-1:] == [("offline", "shutdown")])

        again = Till(data, display, tmp_path)
        after = again.report("ready")
        assert after["screen"] == "scan" and after["message"] in RESTORED.values()
        assert {k: after[k] for k in ("lines", "total", "basket_id")} == {
            k: before[k] for k in ("lines", "total", "basket_id")
        }
        assert again.stop(signal.SIGTERM)[0] == 0
    finally:
        watcher.close()


def test_after_a_kill_9_the_basket_is_offered_again(
    demo: Path, display: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo), str(data)], check=True)
    kiosk("settings", "set", "broker.port", "9", data=data)  # nobody there: offline till
    till = Till(data, display, tmp_path, (TEH_600, TEH_330))
    before = till.report("scanned")
    till.process.kill()
    till.process.wait(10)
    again = Till(data, display, tmp_path)
    after = again.report("ready")
    assert after["message"] in RESTORED.values()
    assert (after["lines"], after["total"], after["basket_id"]) == (
        before["lines"], before["total"], before["basket_id"],
    )  # fmt: skip
    assert again.stop(signal.SIGINT)[0] == 0


def test_replay_stops_between_steps_and_keeps_the_open_basket(demo: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo), str(data)], check=True)
    script = tmp_path / "long.jsonl"
    # Scan and set the quantity back, over and over: a long script whose line never
    # reaches the quantity limit (9,999) before the signal comes.
    pair = json.dumps({"scan": PEN}) + "\n" + json.dumps({"qty": 1}) + "\n"
    script.write_text(pair * 100_000)
    replay = subprocess.Popen([sys.executable, "-m", "kiosk", "replay", str(script),
                               "--data-dir", str(data)], stderr=subprocess.PIPE, text=True)  # fmt: skip
    basket = data / FILE_NAME
    deadline = time.monotonic() + 60
    while not (basket.exists() and basket.stat().st_size > 0):
        assert time.monotonic() < deadline and replay.poll() is None
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the script
    start = time.monotonic()
    replay.send_signal(signal.SIGTERM)
    _, err = replay.communicate(timeout=STOP_WITHIN_S + 5)
    assert replay.returncode == 0 and time.monotonic() - start <= STOP_WITHIN_S, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    store = SqliteOpenBaskets(basket)
    try:
        kept = store.latest()
        assert kept is not None
        _, payload, sale_id = kept
        # Stopped between two steps: after a scan (2) or after the quantity was set back (1).
        assert sale_id == "" and payload["lines"][0]["qty"] in (1, 2)
    finally:
        store.close()


def test_sync_stops_on_sigterm_while_the_broker_does_not_answer(demo: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    subprocess.run(["cp", "-a", str(demo), str(data)], check=True)
    kiosk("replay", str(_one_sale(tmp_path)), data=data)  # something in the outbox
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts the connection, never answers CONNECT
    kiosk("settings", "set", "broker.port", str(silent.getsockname()[1]), data=data)
    sync = subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "--data-dir", str(data)],
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        conn, _ = silent.accept()
        time.sleep(0.5)
        start = time.monotonic()
        sync.send_signal(signal.SIGTERM)
        _, err = sync.communicate(timeout=STOP_WITHIN_S + 5)
        assert sync.returncode == 0 and time.monotonic() - start <= STOP_WITHIN_S, err
        assert "sync stopped by SIGTERM" in err and "Traceback" not in err
        conn.close()
    finally:
        silent.close()


def _one_sale(tmp_path: Path) -> Path:
    script = tmp_path / "sale.jsonl"
    steps = [{"scan": TEH_330}, {"pay": {"method": "cash", "amount": 10_000}}]
    script.write_text("".join(json.dumps(s) + "\n" for s in steps))
    return script
