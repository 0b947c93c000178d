"""A throwaway mosquitto on loopback, for tests, benchmarks and local demos.

Each instance gets its own free port, temp directory and config, so tests can restart
or kill it without touching the system broker. Only ``/usr/sbin/mosquitto`` (or the
one on PATH) is needed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion


def free_port(low: int = 20_000, high: int = 32_000) -> int:
    """A free loopback port below Linux's ephemeral range (32768-60999). A port from that
    range can be taken while a test broker restarts: a client reconnecting to it may be
    handed the very same local port (a TCP self-connect), and mosquitto cannot bind."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(low, high)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {low}-{high}")


def mosquitto_binary() -> str | None:
    found = shutil.which("mosquitto")
    if found:
        return found
    return "/usr/sbin/mosquitto" if os.path.exists("/usr/sbin/mosquitto") else None


class MosquittoProcess:
    """``start()`` / ``stop()`` / ``restart()`` a mosquitto listening on ``port``.

    ``extra_config`` lines are appended (password_file, acl_file, ...). With
    ``persistent=True`` the broker keeps sessions and queued messages across a
    graceful restart (SIGTERM saves the database), as a production broker would.
    """

    def __init__(
        self,
        *,
        port: int | None = None,
        extra_config: str = "",
        persistent: bool = False,
        allow_anonymous: bool = True,
        workdir: str | Path | None = None,
    ) -> None:
        binary = mosquitto_binary()
        if binary is None:
            raise RuntimeError("mosquitto is not installed (apt-get install mosquitto)")
        self.binary = binary
        self.port = port or free_port()
        self.host = "127.0.0.1"
        self._own_dir = workdir is None
        self.dir = Path(workdir or tempfile.mkdtemp(prefix="mosquitto-"))
        self.config_path = self.dir / "mosquitto.conf"
        self.log_path = self.dir / "mosquitto.log"
        lines = [
            f"listener {self.port} 127.0.0.1",
            f"allow_anonymous {'true' if allow_anonymous else 'false'}",
            f"persistence {'true' if persistent else 'false'}",
            # Tests queue thousands of QoS 1 messages for a subscriber that is briefly away.
            "max_queued_messages 1000000",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            lines.append("user root")  # else it drops to "mosquitto" and cannot save here
        if persistent:
            lines += [f"persistence_location {self.dir}/", "autosave_interval 0"]
        self.config_path.write_text("\n".join(lines) + "\n" + extra_config + "\n")
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self, timeout: float = 5.0) -> MosquittoProcess:
        if self.running:
            return self
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [self.binary, "-c", str(self.config_path)], stdout=log, stderr=log
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"mosquitto exited at start:\n{self.log_text()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"mosquitto did not listen on {self.port}:\n{self.log_text()}")

    def stop(self, *, kill: bool = False, timeout: float = 5.0) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def close(self) -> None:
        self.stop()
        if self._own_dir:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> MosquittoProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def eventually(predicate: Callable[[], object], timeout: float = 10.0) -> bool:
    """Poll ``predicate`` until it holds or ``timeout`` seconds pass; its last answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return bool(predicate())


class TopicRecorder:
    """Subscribes to ``filters`` and keeps every message (topic, payload, retain flag).
    For tests and diagnostics: ``wait_for(predicate)`` polls the recorded list."""

    def __init__(
        self,
        host: str,
        port: int,
        filters: list[str],
        *,
        username: str = "",
        password: str = "",
        client_id: str = "",
    ) -> None:
        self.messages: list[tuple[str, bytes, bool]] = []
        self.suback: list[list[int]] = []
        self._subscribed = threading.Event()
        self._lock = threading.Lock()
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5
        )
        if username:
            self.client.username_pw_set(username, password or None)
        self.client.on_connect = lambda c, u, f, rc, p: c.subscribe([(t, 1) for t in filters])
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.connect(host, port)
        self.client.loop_start()
        if not self._subscribed.wait(5):
            raise TimeoutError("recorder did not get its SUBACK")

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, rcs: list[Any], props: Any
    ) -> None:
        self.suback.append([int(rc.value) for rc in rcs])
        self._subscribed.set()

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.messages.append((msg.topic, bytes(msg.payload), bool(msg.retain)))

    def payloads(self, topic: str) -> list[bytes]:
        with self._lock:
            return [p for t, p, _ in self.messages if t == topic]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:
        return eventually(predicate, timeout)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
