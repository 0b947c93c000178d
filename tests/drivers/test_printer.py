from __future__ import annotations

import os
import select
import threading
import time
from pathlib import Path

import pytest
from escpos.printer import Dummy

from drivers.printer import EscposPrinter, connection_from_settings, interpret_status
from drivers.receipt_render import RenderOptions, render_bytes
from drivers.sim.printer import simulated_printer
from kiosk.domain.receipt import build_receipt
from kiosk.ports import DeviceError, DeviceEvent, DeviceState
from kiosk.testing.sales import sample_sale

OPTIONS = RenderOptions(columns=32)


def doc(n: int = 3):  # type: ignore[no-untyped-def]
    return build_receipt(sample_sale(n), header=["TOKO"], footer=["Terima kasih"])


@pytest.fixture
def events() -> list[DeviceEvent]:
    return []


def test_prints_exact_bytes_on_the_simulated_printer(events: list[DeviceEvent]) -> None:
    printer, conn = simulated_printer(options=OPTIONS, on_event=events.append)
    printer.print_document(doc())
    assert printer.wait_idle(5)
    assert conn.output == render_bytes(doc(), OPTIONS)
    assert printer.status().state is DeviceState.IDLE
    assert printer.status().detail == {"paper": "ok", "cover": "closed"}
    printer.close()


def test_print_never_blocks_the_caller() -> None:
    release = threading.Event()

    class Slow(Dummy):  # a printer that takes its time (or hangs on a USB timeout)
        def _raw(self, msg: bytes) -> None:
            release.wait(5)
            super()._raw(msg)

    slow = Slow()
    printer = EscposPrinter("p", lambda: slow, OPTIONS, query_status=False)
    started = time.monotonic()
    printer.print_document(doc())
    printer.print_document(doc())
    assert time.monotonic() - started < 0.2
    release.set()
    assert printer.wait_idle(5)
    assert slow.output == render_bytes(doc(), OPTIONS) * 2
    printer.close()


def test_paper_out_fails_the_job_keeps_it_and_reprints(events: list[DeviceEvent]) -> None:
    printer, conn = simulated_printer(options=OPTIONS, on_event=events.append)
    conn.paper = "out"
    job = printer.submit(doc())
    assert job.done.wait(5)
    assert job.state == "failed" and job.error == "paper out"
    assert printer.status().state is DeviceState.ERROR
    assert printer.status().reason == "paper out"
    assert [j.id for j in printer.failed_jobs()] == [job.id]
    assert {"paper_out", "job_failed"} <= {e.event for e in events}
    conn.paper = "ok"
    again = printer.reprint(job.id)
    assert again.done.wait(5) and again.state == "done"
    assert conn.output == job.data
    printer.close()


def test_paper_near_end_and_cover_open_are_reported(events: list[DeviceEvent]) -> None:
    printer, conn = simulated_printer(options=OPTIONS, on_event=events.append)
    conn.paper = "near_end"
    assert printer.poll_status().reason == "paper near end"
    assert printer.status().state is DeviceState.IDLE  # still prints
    conn.cover_open = True
    assert printer.poll_status().reason == "cover open"
    assert [e.event for e in events][-2:] == ["paper_near_end", "cover_open"]
    printer.close()


def test_unplug_is_offline_and_replug_recovers() -> None:
    printer, conn = simulated_printer(options=OPTIONS)
    printer.poll_status()
    conn.unplugged = True
    job = printer.submit(doc())
    assert job.done.wait(5) and job.state == "failed"
    assert printer.status().state is DeviceState.OFFLINE
    conn.unplugged = False
    assert printer.reprint(job.id).done.wait(5)
    assert printer.status().state is DeviceState.IDLE
    assert printer.jobs()[-1].state == "done"
    printer.close()


def test_a_printer_that_never_answers_is_idle_with_unknown_paper() -> None:
    printer, conn = simulated_printer(options=OPTIONS)
    conn.answers_status = False
    status = printer.poll_status()
    assert (status.state, status.detail) == (DeviceState.IDLE, {"paper": "unknown"})


def test_file_connection_writes_the_exact_bytes(tmp_path: Path) -> None:
    out = tmp_path / "printer.bin"
    printer = EscposPrinter(
        "p", connection_from_settings({"connection": "file", "path": str(out)}), OPTIONS
    )
    printer.print_document(doc())
    printer.print_document(doc(4))
    printer.close()
    assert out.read_bytes() == render_bytes(doc(), OPTIONS) + render_bytes(doc(4), OPTIONS)


def test_serial_connection_over_a_pty() -> None:
    master, slave = os.openpty()
    try:
        settings = {
            "connection": "serial",
            "device": os.ttyname(slave),
            "baudrate": 19200,
            "dsrdtr": False,
            "timeout": 0.05,
        }
        printer = EscposPrinter(
            "p", connection_from_settings(settings), OPTIONS, query_status=False
        )
        job = printer.submit(doc(1))
        assert job.done.wait(5) and job.state == "done", job.error
        received = b""
        while len(received) < len(job.data) and select.select([master], [], [], 1)[0]:
            received += os.read(master, 65536)
        assert received == job.data
        printer.close()
    finally:
        os.close(master)
        os.close(slave)


def test_missing_device_is_offline_not_an_exception(tmp_path: Path) -> None:
    settings = {"connection": "file", "path": str(tmp_path / "no" / "such" / "lp0")}
    printer = EscposPrinter("p", connection_from_settings(settings), OPTIONS)
    job = printer.submit(doc())
    assert job.done.wait(5) and job.state == "failed"
    assert printer.status().state is DeviceState.OFFLINE
    assert "Could not open" in printer.status().reason
    printer.close()
    with pytest.raises(DeviceError, match="printer is closed"):
        printer.print_document(doc())


def test_status_bits() -> None:
    assert interpret_status("p", 0x12, 0x12, 0x12).state is DeviceState.IDLE
    assert interpret_status("p", 0x12, 0x12, 0x7E).reason == "paper out"
    assert interpret_status("p", 0x1A, 0x12, 0x12).reason == "printer offline"


def test_network_connection_to_a_raw_9100_listener() -> None:
    import socket

    server = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []

    def accept() -> None:
        conn, _ = server.accept()
        with conn:
            conn.settimeout(2)
            while chunk := conn.recv(65536):
                received.append(chunk)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings = {"connection": "network", "host": "127.0.0.1", "port": server.getsockname()[1]}
    printer = EscposPrinter("p", connection_from_settings(settings), OPTIONS, query_status=False)
    job = printer.submit(doc(1))
    assert job.done.wait(5) and job.state == "done", job.error
    printer.close()
    thread.join(3)
    server.close()
    assert b"".join(received) == job.data
