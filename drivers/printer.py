"""Receipt printer: connections from settings, a non-blocking job queue, status polling.

``print_document`` renders the receipt to bytes (on the caller's thread, it is fast and
errors in the document show up at once) and queues them; one worker thread owns the
connection and sends jobs, and between jobs polls DLE EOT status. A job that fails is
kept with its bytes and can be reprinted; the sale it belongs to is never touched.

Status (Epson DLE EOT n): n=1 bit 3 offline; n=2 bit 2 cover open, bit 5 paper-end stop;
n=4 bits 2-3 paper near end, bits 5-6 paper out. A printer that never answers (File,
many cheap USB printers) stays "idle, paper unknown"; one that answered and then went
quiet is offline (FIELD-NOTES: escpos's ``paper_status`` reports "paper present" on
silence, so we read the raw bytes ourselves).
"""

from __future__ import annotations

import contextlib
import itertools
import queue
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from escpos.escpos import Escpos

from drivers.receipt_render import RenderOptions, drawer_kick_bytes, render_bytes
from kiosk.domain.receipt import ReceiptDocument
from kiosk.ports import DeviceError, DeviceEvent, DeviceListener, DeviceState, DeviceStatus

KIND = "printer"
DLE_EOT = b"\x10\x04"


@dataclass
class PrintJob:
    id: int
    data: bytes
    label: str  # "receipt", "reprint", "drawer kick"
    state: str = "queued"  # queued | printing | done | failed
    error: str = ""
    document: ReceiptDocument | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False)


def connection_from_settings(settings: Mapping[str, Any]) -> Callable[[], Escpos]:
    """A function that opens the configured connection (called by the worker, and again
    after a failure). Settings: ``connection`` usb|serial|network|file plus its fields."""
    kind = settings.get("connection", "usb")
    profile = settings.get("profile")
    extra: dict[str, Any] = {"profile": profile} if profile else {}

    def opener() -> Escpos:
        from escpos import printer as p  # imported here: pyusb may be missing

        conn: Escpos
        if kind == "usb":
            if not p.Usb.is_usable():
                raise DeviceError("USB printing needs pyusb (pip install pyusb)", kind=KIND)
            conn = p.Usb(_int(settings["vendor_id"]), _int(settings["product_id"]),
                         timeout=int(settings.get("timeout_ms", 5000)),  # 0 = block forever
                         in_ep=_int(settings.get("in_ep", 0x82)),
                         out_ep=_int(settings.get("out_ep", 0x01)), **extra)  # fmt: skip
        elif kind == "serial":
            conn = p.Serial(str(settings["device"]), baudrate=int(settings.get("baudrate", 19200)),
                            timeout=float(settings.get("timeout", 1)),
                            dsrdtr=bool(settings.get("dsrdtr", True)), **extra)  # fmt: skip
        elif kind == "network":
            conn = _network_class()(str(settings["host"]), port=int(settings.get("port", 9100)),
                             timeout=float(settings.get("timeout", 5)), **extra)  # fmt: skip
        elif kind == "file":
            conn = p.File(str(settings["path"]), **extra)
        else:
            raise DeviceError(f"unknown printer connection {kind!r}", kind=KIND)
        conn.open()  # raises DeviceNotFoundError with the reason
        return conn

    return opener


def _network_class() -> type[Escpos]:
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Network

    class ClosingNetwork(Network):  # type: ignore[misc]
        """escpos 3.1 drops the socket without closing it when connect fails (a
        ResourceWarning per retry); this one closes it."""

        def open(self, raise_not_found: bool = True) -> None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect((self.host, self.port))
            except OSError as exc:
                sock.close()
                raise DeviceNotFoundError(f"Could not open socket for {self.host}: {exc}") from exc
            self.device = sock

    return ClosingNetwork


def _int(value: Any) -> int:
    return int(value, 0) if isinstance(value, str) else int(value)


class EscposPrinter:
    """The kiosk's ``Printer``: queue receipts, never block, keep failures for reprint."""

    def __init__(
        self,
        name: str,
        connect: Callable[[], Escpos],
        options: RenderOptions | None = None,
        *,
        on_event: DeviceListener | None = None,
        poll_interval: float = 5.0,
        query_status: bool = True,
    ) -> None:
        self.name = name
        self.options = options or RenderOptions()
        self._connect = connect
        self._on_event = on_event
        self._poll_interval = poll_interval
        self._query_status = query_status
        self._conn: Escpos | None = None
        self._answered = False  # the printer has answered a status query at least once
        self._queue: queue.Queue[PrintJob | None] = queue.Queue()
        self._jobs: dict[int, PrintJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._status = DeviceStatus(KIND, name, DeviceState.OFFLINE, "not started")
        self._thread: threading.Thread | None = None
        self._closed = False

    # -- Printer port -------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        return self._status

    def print_document(self, document: ReceiptDocument) -> None:
        self.submit(document)

    def close(self) -> None:
        """Finish queued jobs (a few seconds at most), then release the connection."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
        self._disconnect()

    # -- jobs ---------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"printer-{self.name}",
                                            daemon=True)  # fmt: skip
            self._thread.start()

    def submit(self, document: ReceiptDocument, *, label: str = "receipt") -> PrintJob:
        return self._enqueue(render_bytes(document, self.options), label, document)

    def send_raw(self, data: bytes, label: str) -> PrintJob:
        return self._enqueue(data, label, None)

    def kick_drawer(self, pin: int = 2) -> PrintJob:
        return self.send_raw(drawer_kick_bytes(pin), "drawer kick")

    def jobs(self) -> list[PrintJob]:
        with self._lock:
            return list(self._jobs.values())

    def failed_jobs(self) -> list[PrintJob]:
        return [job for job in self.jobs() if job.state == "failed"]

    def reprint(self, job_id: int) -> PrintJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise DeviceError(f"no print job {job_id}", kind=KIND, name=self.name)
        return self._enqueue(job.data, f"reprint of {job.id}", job.document)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return all(job.done.wait(timeout) for job in self.jobs())

    def _enqueue(self, data: bytes, label: str, document: ReceiptDocument | None) -> PrintJob:
        if self._closed:
            raise DeviceError("printer is closed", kind=KIND, name=self.name)
        job = PrintJob(next(self._ids), data, label, document=document)
        with self._lock:
            self._jobs[job.id] = job
            for old in [j for j in self._jobs.values() if j.state == "done"][:-20]:
                del self._jobs[old.id]  # keep the last 20 printed; failed ones stay
        self.start()
        self._queue.put(job)
        return job

    # -- worker -------------------------------------------------------------------------
    def _run(self) -> None:
        self.poll_status()
        while True:
            try:
                job = self._queue.get(timeout=self._poll_interval)
            except queue.Empty:
                self.poll_status()
                continue
            if job is None:
                return
            self._print(job)

    def _print(self, job: PrintJob) -> None:
        status = self.poll_status()
        if status.state in (DeviceState.ERROR, DeviceState.OFFLINE) and self._answered:
            self._fail(job, status.reason)
            return
        job.state = "printing"
        self._set(DeviceStatus(KIND, self.name, DeviceState.BUSY, "printing", status.detail))
        try:
            conn = self._connection()
            conn._raw(job.data)
        except Exception as exc:  # any connector failure: keep the job, report, reconnect
            self._disconnect()
            self._set(DeviceStatus(KIND, self.name, DeviceState.OFFLINE, _reason(exc)))
            self._fail(job, _reason(exc))
            return
        job.state = "done"
        job.done.set()
        self._set(DeviceStatus(KIND, self.name, DeviceState.IDLE, "", status.detail))
        self.poll_status()

    def _fail(self, job: PrintJob, reason: str) -> None:
        job.state, job.error = "failed", reason
        job.done.set()
        self._emit("job_failed", f"{job.label} {job.id} not printed: {reason}")

    def _connection(self) -> Escpos:
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken; closing is best effort
                conn.close()

    def poll_status(self) -> DeviceStatus:
        """Ask the printer how it is (worker thread only: it owns the connection)."""
        try:
            conn = self._connection()
        except Exception as exc:
            return self._set(DeviceStatus(KIND, self.name, DeviceState.OFFLINE, _reason(exc)))
        if type(conn)._read is Escpos._read:  # File, LP: write-only, a query would print junk
            self._query_status = False
        if not self._query_status:
            return self._set(
                DeviceStatus(KIND, self.name, DeviceState.IDLE, "", {"paper": "unknown"})
            )
        try:
            online, cause, paper = (_query(conn, n) for n in (1, 2, 4))
        except NotImplementedError:  # File, Dummy: cannot read back
            self._query_status = False
            return self._set(
                DeviceStatus(KIND, self.name, DeviceState.IDLE, "", {"paper": "unknown"})
            )
        except Exception as exc:
            self._disconnect()
            return self._set(DeviceStatus(KIND, self.name, DeviceState.OFFLINE, _reason(exc)))
        if online is None or paper is None:
            if self._answered:
                return self._set(
                    DeviceStatus(KIND, self.name, DeviceState.OFFLINE, "not responding")
                )
            return self._set(
                DeviceStatus(KIND, self.name, DeviceState.IDLE, "", {"paper": "unknown"})
            )
        self._answered = True
        return self._set(interpret_status(self.name, online, cause or 0, paper))

    def _set(self, status: DeviceStatus) -> DeviceStatus:
        previous, self._status = self._status, status
        if (previous.state, previous.reason, previous.detail) != (
            status.state,
            status.reason,
            status.detail,
        ):
            self._emit(_event_name(status), status.reason or status.state.value)
        return status

    def _emit(self, event: str, message: str) -> None:
        if self._on_event is not None:
            self._on_event(DeviceEvent(KIND, self.name, event, self._status, message))


def _query(conn: Escpos, n: int) -> int | None:
    conn._raw(DLE_EOT + bytes([n]))
    answer = conn._read()
    return answer[0] if answer else None


def interpret_status(name: str, online: int, cause: int, paper: int) -> DeviceStatus:
    paper_state = "out" if paper & 0x60 else "near_end" if paper & 0x0C else "ok"
    detail = {"paper": paper_state, "cover": "open" if cause & 0x04 else "closed"}
    if paper_state == "out" or cause & 0x20:
        return DeviceStatus(KIND, name, DeviceState.ERROR, "paper out", {**detail, "paper": "out"})
    if cause & 0x04:
        return DeviceStatus(KIND, name, DeviceState.ERROR, "cover open", detail)
    if cause & 0x40:
        return DeviceStatus(KIND, name, DeviceState.ERROR, "printer error", detail)
    if online & 0x08:
        return DeviceStatus(KIND, name, DeviceState.OFFLINE, "printer offline", detail)
    reason = "paper near end" if paper_state == "near_end" else ""
    return DeviceStatus(KIND, name, DeviceState.IDLE, reason, detail)


def _event_name(status: DeviceStatus) -> str:
    return {"paper out": "paper_out", "cover open": "cover_open", "paper near end":
            "paper_near_end"}.get(status.reason, "status")  # fmt: skip


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
