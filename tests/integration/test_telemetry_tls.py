"""TLS with client certificates against a real mosquitto: the settings broker.tls,
broker.ca_file, broker.cert_file and broker.key_file are all that a device needs."""

from __future__ import annotations

import gc
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.storage.db import open_db
from kiosk.telemetry.sync import outbox_summary, sync_once
from kiosk.testing.broker_process import MosquittoProcess, mosquitto_binary
from kiosk.testing.loadgen import commit_sales

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(mosquitto_binary() is None, reason="mosquitto is not installed"),
]
STORE, DEVICE = "S01", "D01"


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def issue(pki: Path, name: str, subject: str, ext: str = "") -> None:
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-subj", subject,
            "-out", f"{name}.csr", cwd=pki)  # fmt: skip
    extra = ["-extfile", "ext.cnf"] if ext else []
    if ext:
        (pki / "ext.cnf").write_text(ext, encoding="ascii")
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-out", f"{name}.crt", *extra, cwd=pki)  # fmt: skip


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pki = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
            "-keyout", "ca.key", "-out", "ca.crt", cwd=pki)  # fmt: skip
    issue(pki, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\n")
    issue(pki, "device", f"/CN={DEVICE}")
    for key in pki.glob("*.key"):
        key.chmod(0o644)  # mosquitto drops root and must still read its key
    return pki


@pytest.fixture
def tls_broker(pki: Path) -> Iterator[MosquittoProcess]:
    extra = "\n".join([
        f"cafile {pki / 'ca.crt'}", f"certfile {pki / 'server.crt'}",
        f"keyfile {pki / 'server.key'}", "require_certificate true",
    ])  # fmt: skip
    broker = MosquittoProcess(extra_config=extra).start()
    yield broker
    broker.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.db"
    open_db(path).close()
    commit_sales(path, STORE, DEVICE, 5)
    return path


def settings(broker: MosquittoProcess, pki: Path, **extra: object) -> dict[str, object]:
    return {"store_id": STORE, "device_id": DEVICE, "broker.host": broker.host,
            "broker.port": broker.port, "broker.tls": True, "broker.ca_file": str(pki / "ca.crt"),
            "broker.cert_file": str(pki / "device.crt"), "broker.key_file": str(pki / "device.key"),
            **extra}  # fmt: skip


def test_mutual_tls_delivers(tls_broker: MosquittoProcess, pki: Path, db: Path) -> None:
    assert sync_once(db, settings(tls_broker, pki), timeout=10) == 5
    assert outbox_summary(db)["depth"] == 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_without_a_client_certificate_nothing_is_sent(
    tls_broker: MosquittoProcess, pki: Path, db: Path
) -> None:
    with pytest.raises((OSError, ssl.SSLError)):
        sync_once(db, settings(tls_broker, pki, **{"broker.cert_file": "", "broker.key_file": ""}),
                  timeout=5)  # fmt: skip
    gc.collect()
    assert outbox_summary(db)["depth"] == 5


# paho 2.2 does not close its socket when the TLS handshake fails inside connect(); the
# garbage collector closes it (with a ResourceWarning). Nothing the kiosk can reach.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_broker_signed_by_another_ca_is_refused(
    tls_broker: MosquittoProcess, pki: Path, db: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=evil",
            "-keyout", "ca.key", "-out", "ca.crt", cwd=other)  # fmt: skip
    with pytest.raises((OSError, ssl.SSLError)):
        sync_once(db, settings(tls_broker, pki, **{"broker.ca_file": str(other / "ca.crt")}),
                  timeout=5)  # fmt: skip
    gc.collect()  # finalise the leaked socket here, inside this test's warning filter
    assert outbox_summary(db)["depth"] == 5
