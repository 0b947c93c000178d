"""The far end of a pty pair, served by its own thread: what a simulated serial device
is. The driver opens ``port_name`` with pyserial exactly as it opens a real port;
a subclass answers in ``_received`` and writes with ``_write``."""

from __future__ import annotations

import os
import select
import threading
import tty


class PtyPeer:
    def __init__(self, thread_name: str) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port_name = os.ttyname(self._slave)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=thread_name, daemon=True)

    def _start(self) -> None:
        """Called by the subclass once its own state is set up."""
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        os.close(self._master)
        os.close(self._slave)

    def _received(self, data: bytes) -> None:
        raise NotImplementedError

    def _write(self, data: bytes) -> None:
        os.write(self._master, data)

    def _run(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                data = os.read(self._master, 4096)
            except OSError:
                return
            self._received(data)
