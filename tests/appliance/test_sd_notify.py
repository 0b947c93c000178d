"""The notify protocol against a real datagram socket given as NOTIFY_SOCKET."""

from __future__ import annotations

import os
import socket
import time

from kiosk.appliance.sd_notify import Notifier
from tests.appliance.notify_socket import NotifySocket


def test_ready_watchdog_status_and_stopping_arrive_as_datagrams() -> None:
    with NotifySocket() as systemd:
        notifier = Notifier({"NOTIFY_SOCKET": systemd.path})
        assert notifier.ready("ready to scan") and notifier.watchdog()
        assert notifier.status("backing up") and notifier.stopping()
        got = systemd.receive(0.3)
        notifier.close()
    assert got == ["READY=1\nSTATUS=ready to scan", "WATCHDOG=1", "STATUS=backing up",
                   "STOPPING=1"]  # fmt: skip


def test_abstract_namespace_socket() -> None:
    name = f"kiosk-test-{os.getpid()}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind("\0" + name)
    try:
        notifier = Notifier({"NOTIFY_SOCKET": "@" + name})
        assert notifier.ready()
        server.settimeout(2)
        assert server.recv(100) == b"READY=1"
        notifier.close()
    finally:
        server.close()


def test_watchdog_interval_is_half_the_timeout_and_only_for_this_process() -> None:
    env = {"NOTIFY_SOCKET": "/x", "WATCHDOG_USEC": "30000000"}
    assert Notifier(env).watchdog_interval() == 15.0
    assert Notifier({**env, "WATCHDOG_PID": str(os.getpid())}).watchdog_interval() == 15.0
    assert Notifier({**env, "WATCHDOG_PID": "1"}).watchdog_interval() is None
    assert Notifier({**env, "WATCHDOG_USEC": "soon"}).watchdog_interval() is None
    assert Notifier({"NOTIFY_SOCKET": "/x"}).watchdog_interval() is None


def test_outside_systemd_nothing_is_sent_and_nothing_fails() -> None:
    notifier = Notifier({})
    assert not notifier.enabled and notifier.ready() is False
    gone = Notifier({"NOTIFY_SOCKET": "/nonexistent/notify"})
    assert gone.ready() is False  # logged, not raised: the till keeps selling
    gone.close()


def test_pings_come_from_the_kivy_main_loop_and_stop_while_it_is_blocked() -> None:
    """A real Kivy Clock driven by hand: ticking = a live main loop, not ticking = a
    callback that never returns."""
    from kivy.clock import Clock

    from kiosk.ui.systemd_link import SystemdLink

    with NotifySocket() as systemd:
        link = SystemdLink(Notifier({"NOTIFY_SOCKET": systemd.path, "WATCHDOG_USEC": "100000"}))
        link.ready()
        assert systemd.receive(0.1)[:2] == ["READY=1\nSTATUS=ready to scan", "WATCHDOG=1"]
        end = time.monotonic() + 0.6
        while time.monotonic() < end:  # a busy but live loop: frames keep coming
            Clock.tick()
            time.sleep(0.01)
        live = systemd.receive(0.05)
        time.sleep(0.6)  # frozen: no frame, no tick
        frozen = systemd.receive(0.05)
        for _ in range(20):
            Clock.tick()
            time.sleep(0.01)
        link.stopping()
        for _ in range(10):
            Clock.tick()
            time.sleep(0.01)
        after = systemd.receive(0.1)
        link.notifier.close()
    assert live.count("WATCHDOG=1") >= 5  # every 0.05 s for 0.6 s
    # At most the one ping that was due when the loop froze is delivered on the next tick.
    assert frozen == [], frozen
    assert after[-1] == "STOPPING=1" and "WATCHDOG=1" in after[:-1]
