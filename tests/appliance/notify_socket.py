"""A real AF_UNIX datagram socket standing in for systemd's NOTIFY_SOCKET."""

from __future__ import annotations

import socket
import tempfile
import time
from pathlib import Path
from types import TracebackType


class NotifySocket:
    def __init__(self) -> None:
        # AF_UNIX paths are limited to 108 bytes: a short directory, not pytest's tmp_path.
        self.dir = Path(tempfile.mkdtemp(prefix="sdn", dir="/tmp"))
        self.path = str(self.dir / "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(self.path)
        self.received: list[tuple[float, str]] = []  # (monotonic arrival, datagram)
        self._pending: list[str] = []  # read by wait_for after the field it waited for

    def receive(self, seconds: float) -> list[str]:
        """Everything that arrives within ``seconds``."""
        got, self._pending = self._pending, []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(4096).decode()
            except TimeoutError:
                break
            self.received.append((time.monotonic(), data))
            got.append(data)
        return got

    def wait_for(self, field: str, seconds: float) -> list[str]:
        """Datagrams up to and including the first carrying ``field`` (a KEY=value line)."""
        got: list[str] = []
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            batch = self.receive(min(0.2, deadline - time.monotonic()))
            for index, data in enumerate(batch):
                got.append(data)
                if field in data.split("\n"):
                    self._pending = batch[index + 1 :]
                    return got
        raise AssertionError(f"no {field} within {seconds} s; got {got}")

    def __enter__(self) -> NotifySocket:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.sock.close()
        Path(self.path).unlink(missing_ok=True)
        self.dir.rmdir()
