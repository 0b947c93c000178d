"""The till's devices as bootstrap builds and uses them: the driver set from settings,
the scanner's key decoder, the exact printer bytes of receipts and reports, card payments
and the simulated terminal's chosen outcome (replay). Importable from bootstrap too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kiosk.domain.books_report import ReportDocument, layout_report
from kiosk.domain.receipt import ReceiptDocument
from kiosk.ports import CardResult, DeviceListener, DeviceSet, Scan
from kiosk.storage.settings import Settings


class WithDevices(Protocol):
    """What needs the devices built on first use (bootstrap.Kiosk)."""

    def ensure_devices(self) -> DeviceSet: ...


def build_devices(
    settings: Settings, hardware: str, on_event: DeviceListener | None = None
) -> DeviceSet:
    from drivers.factory import build_devices as build_all

    return build_all(
        _device_settings(settings),
        simulated=hardware == "simulated",
        on_event=on_event or (lambda _event: None),
    )


def _device_settings(settings: Settings) -> dict[str, Any]:
    devices = dict(settings.get("hardware.devices"))
    devices.setdefault("printer", {}).setdefault("columns", settings.get("receipt.width"))
    return devices


def key_decoder(settings: Settings) -> Callable[[list[Any]], list[Scan]]:
    """Raw key events -> scans, through the very decoder the real scanner uses."""
    from drivers.scan_decoder import DecoderConfig, replay_keys

    scanner = _device_settings(settings).get("scanner", {})
    config = DecoderConfig.from_settings(scanner) if scanner else DecoderConfig()

    def decode(steps: list[Any]) -> list[Scan]:
        return replay_keys(steps, config=config)

    return decode


def receipt_bytes(document: ReceiptDocument, settings: Settings) -> bytes:
    """The exact bytes the configured printer would get for this document."""
    from drivers.receipt_render import RenderOptions, render_bytes

    printer = _device_settings(settings).get("printer", {})
    return render_bytes(document, RenderOptions.from_settings(printer))


def report_bytes(document: ReportDocument, settings: Settings) -> bytes:
    """The exact bytes the configured printer gets for an X, Z or shift report."""
    from drivers.receipt_render import RenderOptions, lines_bytes

    options = RenderOptions.from_settings(_device_settings(settings).get("printer", {}))
    return lines_bytes(layout_report(document, options.columns), options)


def card_payment(kiosk: WithDevices) -> Callable[[int, str], CardResult]:
    """Pay through the configured card terminal, built when first needed."""

    def pay(amount: int, reference: str) -> CardResult:
        terminal = kiosk.ensure_devices().card_terminal
        if terminal is None:
            return CardResult("error", amount=amount, message="no card terminal")
        return terminal.sale(amount, reference)

    return pay


_CARD_MODES = {"approved": "approve", "declined": "decline", "timeout": "timeout"}


def simulated_card_outcome(kiosk: WithDevices, outcome: str) -> None:
    """Replay: the simulated card terminal answers the next sale with ``outcome``."""
    from drivers.sim.card_peer import SimulatedCardTerminalPeer

    peer = kiosk.ensure_devices().twins.get("card_peer")
    if not isinstance(peer, SimulatedCardTerminalPeer):
        if outcome == "approved":
            return
        raise ValueError("the card terminal's outcome can only be chosen when simulated")
    if outcome not in _CARD_MODES:
        raise ValueError(f"a card payment cannot be {outcome!r}; use approved, declined or timeout")
    peer.mode = _CARD_MODES[outcome]


def device_report(devices: DeviceSet) -> list[dict[str, Any]]:
    from drivers.device_list import devices_report

    report: list[dict[str, Any]] = devices_report(devices)
    return report
