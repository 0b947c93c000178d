"""A throwaway nats-server with its MQTT gateway on loopback, for tests and benchmarks
(beside the throwaway mosquitto in ``broker_process``).

nats-server's MQTT needs JetStream (sessions and QoS 1 messages are streams) and a
``server_name``; it speaks MQTT 3.1.1 only and refuses an MQTT 5 CONNECT. Each instance
has its own ports and store directory, so a test can restart it (JetStream keeps the
sessions and queued messages on disk) without touching the machine's nats-server.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from kiosk.testing.broker_process import MosquittoProcess, free_port


def nats_binary() -> str | None:
    return shutil.which("nats-server") or (
        "/usr/sbin/nats-server" if Path("/usr/sbin/nats-server").exists() else None
    )


class NatsProcess(MosquittoProcess):
    """``start()`` / ``stop()`` / ``restart()`` a nats-server whose MQTT listener is
    ``host:port`` (the NATS client port is ``nats_port``). Started, stopped and waited
    for as the throwaway mosquitto is (both take ``-c CONFIG``)."""

    def __init__(self, *, port: int | None = None) -> None:  # its own config, not super()'s
        binary = nats_binary()
        if binary is None:
            raise RuntimeError("nats-server is not installed (apt-get install nats-server)")
        self.binary = binary
        self.host = "127.0.0.1"
        self.port = port or free_port()
        self.nats_port = free_port()
        while self.nats_port == self.port:
            self.nats_port = free_port()
        self._own_dir = True
        self.dir = Path(tempfile.mkdtemp(prefix="nats-"))
        self.config_path = self.dir / "nats.conf"
        self.log_path = self.dir / "nats.log"
        self.config_path.write_text(
            f'server_name: "throwaway-{self.port}"\n'
            f"listen: {self.host}:{self.nats_port}\n"
            f'jetstream {{ store_dir: "{self.dir / "js"}" }}\n'
            f"mqtt {{ listen: {self.host}:{self.port} }}\n"
        )
        self._process = None
        self._log_file = None

    def start(self, timeout: float = 10.0) -> NatsProcess:
        super().start(timeout)  # JetStream takes longer than mosquitto to come up
        return self
