"""Build every device from the settings document; real hardware or simulated twins.

``build_devices`` never raises for a device: one that is missing, misconfigured or fails
at start becomes an ``UnavailableDevice`` that reports OFFLINE/ERROR with the reason,
so the kiosk starts, shows it, and reports it. Simulated mode (``hardware: simulated``
in settings or ``KIOSK_HARDWARE=simulated``) runs the same drivers over their twins:
escpos Dummy with paper state, gpiozero MockFactory pins, a card terminal peer on a pty.

Settings (all sections optional)::

    hardware: real | simulated
    scanners: [{name, type: evdev|serial, vendor_id, product_id, name_pattern, layout,
                suffix, burst_gap_ms, timeout_ms, gs_key} | {type: serial, port, baudrate,
                suffix: cr|lf|crlf|tab|gap, idle_gap_ms}]
    printer: {connection: usb|serial|network|file, vendor_id, product_id, device, host,
              path, paper: 58mm|80mm, columns, codepage, profile, logo, status_poll_s}
    drawer: {via: gpio|printer, pin, pulse_ms, sensor_pin, open_when_high, left_open_s}
    lights: {pins: {green: 5, amber: 6, red: 13}, table: {state: {colour: pattern}}}
    display: {port, baudrate, command_set: epson|cd5220}
    card_terminal: {port, baudrate, ack_timeout, response_timeout, retries}
    cash_acceptor: {denominations: [1000, 2000, ...]}  (absent: the shop takes no cash
                   at the self-checkout; simulated only, no real driver yet)
    scale: {port, baudrate, dialect: cas|toledo}  (absent: no scale, except that
           simulated mode always has its twin, so the demo sells by weight)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from drivers.card_terminal import SerialCardTerminal
from drivers.drawer import CashDrawerDevice
from drivers.evdev_scanner import EvdevScanner, ScannerMatch
from drivers.lights import GpioLights
from drivers.pole_display import SerialPoleDisplay, SimulatedPoleDisplay
from drivers.printer import EscposPrinter, connection_from_settings
from drivers.receipt_render import RenderOptions
from drivers.scale import SerialScale
from drivers.scan_decoder import DecoderConfig
from drivers.serial_scanner import SerialScanner
from drivers.sim.card_peer import SimulatedCardTerminalPeer
from drivers.sim.cash_acceptor import SimulatedCashAcceptor
from drivers.sim.scale_peer import SimulatedScalePeer
from drivers.sim.scanner import SimulatedScanner
from kiosk.domain.receipt import ReceiptDocument
from kiosk.ports import (
    CardResult,
    CashListener,
    DeviceError,
    DeviceEvent,
    DeviceListener,
    DeviceSet,
    DeviceState,
    DeviceStatus,
    PrintJobInfo,
    ScanListener,
    ScanSource,
    Weighing,
)

DEFAULT_PINS = {"green": 5, "amber": 6, "red": 13}
T = TypeVar("T")


class UnavailableDevice:
    """Stands in for a device that could not be built: every port method is safe to call
    and says, through ``status()`` and ``DeviceError``, what is wrong."""

    def __init__(self, kind: str, name: str, reason: str, state: DeviceState = DeviceState.ERROR):
        self._status = DeviceStatus(kind, name, state, reason)
        self.name = name

    def status(self) -> DeviceStatus:
        return self._status

    def close(self) -> None:
        return None

    def start(self, on_scan: ScanListener, on_event: DeviceListener) -> None:
        on_event(DeviceEvent(self._status.kind, self.name, "status", self._status,
                             self._status.reason))  # fmt: skip

    def _fail(self) -> DeviceError:
        return DeviceError(f"{self._status.kind} unavailable: {self._status.reason}",
                           kind=self._status.kind, name=self.name)  # fmt: skip

    def print_document(self, document: ReceiptDocument) -> None:
        raise self._fail()

    def send_raw(self, data: bytes, label: str) -> PrintJobInfo:
        raise self._fail()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        return True

    def failed_jobs(self) -> Sequence[PrintJobInfo]:
        return []

    def reprint(self, job_id: int) -> PrintJobInfo:
        raise self._fail()

    def open(self, reason: str) -> None:
        raise self._fail()

    def is_open(self) -> bool | None:
        return None

    def show(self, state: str) -> None:
        return None

    def show_lines(self, top: str, bottom: str) -> None:
        return None

    def sale(self, amount: int, reference: str) -> CardResult:
        return CardResult("error", amount=amount, message=self._status.reason)

    def void(self, rrn: str, amount: int) -> CardResult:
        return CardResult("error", amount=amount, message=self._status.reason)

    def refund(self, rrn: str, amount: int, reference: str) -> CardResult:
        return CardResult("error", amount=amount, message=self._status.reason)

    def last_transaction(self) -> CardResult:
        return CardResult("error", message=self._status.reason)

    def accept(self, amount_due: int, on_inserted: CashListener) -> None:
        raise self._fail()

    def stop(self) -> None:
        return None

    def dispense(self, amount: int) -> int:
        raise self._fail()

    def weigh(self) -> Weighing:
        raise self._fail()

    def tare(self) -> None:
        raise self._fail()

    def zero(self) -> None:
        raise self._fail()


def is_simulated(settings: Mapping[str, Any], simulated: bool | None = None) -> bool:
    if simulated is not None:
        return simulated
    env = os.environ.get("KIOSK_HARDWARE", "").strip().lower()
    if env:
        return env == "simulated"
    return str(settings.get("hardware", "real")).lower() == "simulated"


def build_devices(
    settings: Mapping[str, Any],
    *,
    simulated: bool | None = None,
    on_event: DeviceListener | None = None,
    printer_out: str | None = None,
) -> DeviceSet:
    """All devices, each working or an ``UnavailableDevice``; a cash acceptor only when
    one is configured. ``printer_out`` makes the
    printer write its exact bytes to that file (``kiosk replay --printer-out``)."""
    sim = is_simulated(settings, simulated)
    twins: dict[str, object] = {}
    pin_factory = _mock_factory() if sim else None
    if sim:
        twins["pin_factory"] = pin_factory

    def safe(kind: str, name: str, build: Callable[[], T]) -> T | UnavailableDevice:
        try:
            return build()
        except Exception as exc:  # a device must never stop the kiosk from starting
            device = UnavailableDevice(kind, name, _reason(exc))
            if on_event is not None:
                on_event(DeviceEvent(kind, name, "status", device.status(), _reason(exc)))
            return device

    scanners = _scanners(settings, sim, safe, twins)
    printer_cfg = dict(settings.get("printer") or {})
    printer = safe("printer", str(printer_cfg.get("name", "printer")),
                   lambda: _printer(printer_cfg, sim, on_event, printer_out, twins))  # fmt: skip
    drawer_cfg = dict(settings.get("drawer") or {})
    drawer = safe("drawer", "drawer", lambda: _drawer(drawer_cfg, sim, printer, on_event,
                                                      pin_factory))  # fmt: skip
    lights_cfg = dict(settings.get("lights") or {})
    lights = safe("lights", "lights", lambda: _lights(lights_cfg, sim, on_event, pin_factory))
    display_cfg = dict(settings.get("display") or {})
    display = safe("display", "display", lambda: _display(display_cfg, sim, twins))
    card_cfg = dict(settings.get("card_terminal") or {})
    card = safe("card_terminal", "card_terminal", lambda: _card(card_cfg, sim, on_event, twins))
    devices = DeviceSet(scanners, printer, drawer, lights, display, card, simulated=sim,
                        twins=twins)  # fmt: skip
    if "cash_acceptor" in settings:
        cash_cfg = dict(settings.get("cash_acceptor") or {})
        devices.cash_acceptor = safe("cash_acceptor", "cash_acceptor",
                                     lambda: _cash_acceptor(cash_cfg, sim, on_event))  # fmt: skip
    if "scale" in settings or sim:
        scale_cfg = dict(settings.get("scale") or {})
        devices.scale = safe("scale", "scale", lambda: _scale(scale_cfg, sim, twins))
    for twin in (twins.get("card_peer"), twins.get("scale_peer")):
        if isinstance(twin, SimulatedCardTerminalPeer | SimulatedScalePeer):
            devices.closers.append(twin.close)
    return devices


def _scale(cfg: Mapping[str, Any], sim: bool, twins: dict[str, object]) -> SerialScale:
    import serial

    dialect = str(cfg.get("dialect", "cas"))
    if sim:
        peer = SimulatedScalePeer(dialect=dialect)
        twins["scale_peer"] = peer
        port_name, baud = peer.port_name, 9600
    else:
        port_name, baud = str(cfg["port"]), int(cfg.get("baudrate", 9600))
    port = serial.serial_for_url(port_name, baudrate=baud, timeout=0.05, write_timeout=1)
    return SerialScale(port, dialect=dialect)


def _mock_factory() -> Any:
    from gpiozero.pins.mock import MockFactory

    return MockFactory()


def _scanners(settings: Mapping[str, Any], sim: bool, safe: Callable[..., Any],
              twins: dict[str, object]) -> list[ScanSource]:  # fmt: skip
    entries = list(settings.get("scanners") or [])
    if sim:
        names = [str(e.get("name", f"scanner-{i + 1}")) for i, e in enumerate(entries)]
        sims = [
            SimulatedScanner(n, _decoder_config(e)) for n, e in zip(names, entries, strict=True)
        ]
        sims = sims or [SimulatedScanner("scanner-sim")]
        twins["scanners"] = sims
        return list(sims)
    out: list[ScanSource] = []
    for i, entry in enumerate(entries):
        name = str(entry.get("name", f"scanner-{i + 1}"))
        out.append(safe("scanner", name, lambda e=entry, n=name: _real_scanner(n, e)))
    if not out:
        out.append(UnavailableDevice("scanner", "scanner", "no scanner configured",
                                     DeviceState.OFFLINE))  # fmt: skip
    return out


def _decoder_config(entry: Mapping[str, Any]) -> DecoderConfig:
    return DecoderConfig.from_settings(entry)


def _real_scanner(name: str, entry: Mapping[str, Any]) -> EvdevScanner | SerialScanner:
    kind = entry.get("type", "evdev")
    if kind == "evdev":
        match_settings = {**entry, "name": entry.get("name_pattern", "")}
        return EvdevScanner(
            name, ScannerMatch.from_settings(match_settings), _decoder_config(entry)
        )
    if kind == "serial":
        return SerialScanner.from_settings(name, dict(entry))
    raise ValueError(f"scanner {name}: unknown type {kind!r} (evdev or serial)")


def _printer(cfg: Mapping[str, Any], sim: bool, on_event: DeviceListener | None,
             printer_out: str | None,
             twins: dict[str, object]) -> EscposPrinter | UnavailableDevice:  # fmt: skip
    name = str(cfg.get("name", "printer"))
    options = RenderOptions.from_settings(cfg)
    if printer_out:
        connect = connection_from_settings({"connection": "file", "path": printer_out})
        printer = EscposPrinter(name, connect, options, on_event=on_event, query_status=False)
    elif sim:
        from drivers.sim.printer import simulated_printer

        printer, connection = simulated_printer(name, options, on_event=on_event)
        twins["printer_connection"] = connection
    elif not cfg:
        return UnavailableDevice("printer", name, "no printer configured", DeviceState.OFFLINE)
    else:
        printer = EscposPrinter(name, connection_from_settings(cfg), options, on_event=on_event,
                                poll_interval=float(cfg.get("status_poll_s", 5)),
                                query_status=bool(cfg.get("status", True)))  # fmt: skip
    printer.start()
    return printer


def _drawer(cfg: Mapping[str, Any], sim: bool, printer: EscposPrinter | UnavailableDevice,
            on_event: DeviceListener | None,
            pin_factory: Any) -> CashDrawerDevice | UnavailableDevice:  # fmt: skip
    if not cfg and not sim:
        return UnavailableDevice("drawer", "drawer", "no drawer configured", DeviceState.OFFLINE)
    via = cfg.get("via", "gpio")
    common = {"on_event": on_event, "left_open_s": float(cfg.get("left_open_s", 30)),
              "pin_factory": pin_factory}  # fmt: skip
    if via == "printer":
        if not isinstance(printer, EscposPrinter):
            raise DeviceError("drawer is wired to the printer, which is unavailable")
        pin = int(cfg.get("kick_pin", 2))
        return CashDrawerDevice(kick=lambda: printer.kick_drawer(pin), **common)
    if via != "gpio":
        raise ValueError(f"drawer.via must be gpio or printer, got {via!r}")
    sensor = cfg.get("sensor_pin")  # nothing would close a simulated drawer: no sensor
    return CashDrawerDevice(pin=cfg.get("pin", 17), pulse_ms=int(cfg.get("pulse_ms", 100)),
                            sensor_pin=sensor, open_when_high=bool(cfg.get("open_when_high", True)),
                            **common)  # fmt: skip


def _lights(cfg: Mapping[str, Any], sim: bool, on_event: DeviceListener | None,
            pin_factory: Any) -> GpioLights | UnavailableDevice:  # fmt: skip
    if not cfg and not sim:
        return UnavailableDevice("lights", "lights", "no lights configured", DeviceState.OFFLINE)
    return GpioLights(cfg.get("pins", DEFAULT_PINS), table=cfg.get("table"), on_event=on_event,
                      pin_factory=pin_factory)  # fmt: skip


def _display(
    cfg: Mapping[str, Any], sim: bool, twins: dict[str, object]
) -> SimulatedPoleDisplay | SerialPoleDisplay | UnavailableDevice:
    command_set = str(cfg.get("command_set", "epson"))
    if sim:
        display = SimulatedPoleDisplay(command_set=command_set)
        twins["display_screen"] = display.screen
        return display
    if not cfg:
        return UnavailableDevice("display", "display", "no display configured", DeviceState.OFFLINE)
    import serial

    port = serial.serial_for_url(str(cfg["port"]), baudrate=int(cfg.get("baudrate", 9600)),
                                 write_timeout=1)  # fmt: skip
    return SerialPoleDisplay(port, command_set=command_set)


SIM_RESPONSE_S = 2.0  # the simulated terminal answers at once; a lost answer is a timeout


def _card(cfg: Mapping[str, Any], sim: bool, on_event: DeviceListener | None,
          twins: dict[str, object]) -> SerialCardTerminal | UnavailableDevice:  # fmt: skip
    import serial

    if sim:
        peer = SimulatedCardTerminalPeer()
        twins["card_peer"] = peer
        port_name, baud = peer.port_name, 115200
    elif not cfg:
        return UnavailableDevice("card_terminal", "card_terminal", "no card terminal configured",
                                 DeviceState.OFFLINE)  # fmt: skip
    else:
        port_name, baud = str(cfg["port"]), int(cfg.get("baudrate", 9600))
    port = serial.serial_for_url(port_name, baudrate=baud, timeout=0.05, write_timeout=1)
    return SerialCardTerminal(port, ack_timeout=float(cfg.get("ack_timeout", 1.0)),
                              response_timeout=float(cfg.get("response_timeout",
                                                             SIM_RESPONSE_S if sim else 90)),
                              retries=int(cfg.get("retries", 3)), on_event=on_event)  # fmt: skip


def _cash_acceptor(
    cfg: Mapping[str, Any], sim: bool, on_event: DeviceListener | None
) -> SimulatedCashAcceptor | UnavailableDevice:
    if not sim:
        reason = "no driver for a real cash acceptor yet (simulated only)"
        return UnavailableDevice("cash_acceptor", "cash_acceptor", reason)
    denominations = cfg.get("denominations")
    if denominations is None:
        return SimulatedCashAcceptor(on_event=on_event)
    return SimulatedCashAcceptor(denominations=denominations, on_event=on_event)


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
