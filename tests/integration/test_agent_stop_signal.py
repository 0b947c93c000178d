"""``kiosk agent`` stops promptly however the kernel delivers SIGTERM: a process-directed
signal may land on any thread (paho's, the drain's), and Python runs its handler only
when the main thread next wakes; the agent must not sleep through it."""

from __future__ import annotations

import ctypes
import os
import platform
import signal
import socket
import time
from pathlib import Path

import pytest

from kiosk.appliance import fleet_update
from kiosk.testing.broker_process import MosquittoProcess, eventually
from tests.integration import test_agent as agent_tests
from tests.integration.test_agent import prepare, start_agent, stop

pytestmark = pytest.mark.broker
broker = agent_tests.broker  # a throwaway mosquitto (skips when there is none)
TGKILL = {"x86_64": 234, "aarch64": 131}.get(platform.machine())  # the syscall's number


def signal_thread(pid: int, tid: int, signum: int) -> None:
    """SIGTERM to one thread of another process (tgkill), as the kernel may choose."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.syscall(TGKILL, pid, tid, signum) != 0:
        raise OSError(ctypes.get_errno(), "tgkill")


@pytest.mark.skipif(TGKILL is None or not Path("/proc/self/task").is_dir(),
                    reason="needs Linux tgkill on x86_64 or aarch64")  # fmt: skip
def test_sigterm_on_another_thread_stops_the_agent_within_seconds(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)
    log = tmp_path / "agent.log"
    agent = start_agent(data, log)
    try:
        assert eventually(lambda: "holding the fleet link" in log.read_text(), timeout=30)
        time.sleep(1)  # into the main loop's wait
        others = [int(t) for t in os.listdir(f"/proc/{agent.pid}/task") if int(t) != agent.pid]
        assert others, "the agent runs its link on threads of its own"
        signal_thread(agent.pid, others[0], signal.SIGTERM)
        started = time.monotonic()
        assert agent.wait(15) == 0, log.read_text()
        assert time.monotonic() - started < 10
    finally:
        if agent.poll() is None:
            stop(agent)


def test_sigterm_during_a_stalled_update_download_stops_the_agent_within_seconds(
    broker: MosquittoProcess, tmp_path: Path
) -> None:
    """A release server that accepts and never answers: the download waits up to its
    two-minute timeout, but the agent's loop does not wait with it."""
    data = tmp_path / "device"
    data.mkdir()
    prepare(data, broker.port)
    with socket.socket() as tarpit:
        tarpit.bind(("127.0.0.1", 0))
        tarpit.listen()
        tarpit.settimeout(30)
        url = f"http://127.0.0.1:{tarpit.getsockname()[1]}/releases/pi_pos-9.1.0-py3-none-any.whl"
        fleet_update.write_pending(data, fleet_update.PendingUpdate(
            "9.1.0", "pi_pos-9.1.0-py3-none-any.whl", url, "0" * 64, "c-stall"))  # fmt: skip
        log = tmp_path / "agent.log"
        agent = start_agent(data, log)
        try:
            connection, _ = tarpit.accept()  # the download has started, and now hangs
            with connection:
                agent.send_signal(signal.SIGTERM)
                started = time.monotonic()
                assert agent.wait(15) == 0, log.read_text()
                assert time.monotonic() - started < 5, log.read_text()
        finally:
            if agent.poll() is None:
                stop(agent)
    pending = fleet_update.read_pending(data)
    assert pending is not None and pending.state == "scheduled"  # fetched again next start
