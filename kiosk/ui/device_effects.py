"""The presenters' ``Effects`` over the kiosk's ``DeviceSet``: devices, threads, receipts.

Plain Python (no Kivy), so it is tested with the simulated devices themselves. A device
answer that arrives on a driver thread (card result, a note taken) is posted into the
``EventBridge``; the app applies it on the main thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.domain.receipt import ReceiptDocument
from kiosk.domain.sale import CompletedSale
from kiosk.ports import CardResult, DeviceError, DeviceSet, DeviceState
from kiosk.services.card_sale import CardSales
from kiosk.ui.event_bridge import EventBridge
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.refusals import shown_text

USABLE = (DeviceState.IDLE, DeviceState.BUSY)
SOUNDS = Path(__file__).with_name("assets") / "sounds"
log = logging.getLogger(__name__)


class DeviceEffects:
    def __init__(
        self,
        devices: DeviceSet,
        bridge: EventBridge,
        *,
        counter: bool,
        language: str,
        receipt: Callable[..., ReceiptDocument],  # (sale, *, reprint=False)
    ) -> None:
        self.devices = devices
        self.bridge = bridge
        self.counter = counter
        self.lang = Language(language)
        self.receipt = receipt
        self._card_sales: CardSales | None = None
        self.sounds_played: list[str] = []  # every chime asked for, heard or not
        self._sounds: dict[str, Any] = {}

    def _(self, text: str) -> str:
        return self.lang._(text)

    @property
    def cash_available(self) -> bool:
        """The counter has its drawer; a self-checkout takes cash only through a working
        cash acceptor."""
        if self.counter:
            return True
        acceptor = self.devices.cash_acceptor
        return acceptor is not None and acceptor.status().state in USABLE

    def start_card(self, amount: int, reference: str) -> None:
        terminal = self.devices.card_terminal
        bridge = self.bridge
        if terminal is None:
            bridge.post("card_result", CardResult("error", amount, message="no card terminal"))
            return

        sales = self._card_sales = self._card_sales or CardSales(terminal)

        def work() -> None:
            try:
                result = sales.pay(amount, reference)  # asks first after an unknown one
            except Exception as error:  # a driver failure becomes a declined payment
                result = CardResult("error", amount, message=str(error))
            bridge.post("card_result", result)

        threading.Thread(target=work, name="card-sale", daemon=True).start()

    def start_cash(self, amount_due: int) -> str:
        acceptor = self.devices.cash_acceptor
        if acceptor is None:
            return self._("no cash acceptor")
        bridge = self.bridge

        def inserted(amount: int) -> None:  # on the acceptor's thread
            bridge.post("cash_inserted", amount)

        try:
            acceptor.accept(amount_due, inserted)
        except DeviceError as error:
            return shown_text(error, self.lang)
        return ""

    def stop_cash(self) -> None:
        acceptor = self.devices.cash_acceptor
        if acceptor is not None:
            with contextlib.suppress(DeviceError):
                acceptor.stop()

    def give_change(self, amount: int) -> str:
        acceptor = self.devices.cash_acceptor
        if acceptor is None:
            return self._("no cash acceptor")
        try:
            paid = acceptor.dispense(amount)
        except DeviceError as error:
            return shown_text(error, self.lang)
        return "" if paid == amount else self._("change not paid out in full")

    def print_receipt(self, sale: CompletedSale, *, reprint: bool = False) -> str:
        printer = self.devices.printer
        if printer is None:
            return self._("no printer")
        try:
            printer.print_document(
                self.receipt(sale, reprint=True) if reprint else self.receipt(sale)
            )
        except DeviceError as error:
            return shown_text(error, self.lang)
        return ""

    def print_raw(self, data: bytes, label: str) -> str:
        """Laid-out bytes (an X, Z or shift report); "" when queued, else why not."""
        printer = self.devices.printer
        if printer is None:
            return self._("no printer")
        try:
            printer.send_raw(data, label)
        except DeviceError as error:
            return shown_text(error, self.lang)
        return ""

    def open_drawer(self, reason: str) -> str:
        drawer = self.devices.drawer
        if drawer is None:
            return self._("no cash drawer")
        try:
            drawer.open(reason)
        except DeviceError as error:
            return shown_text(error, self.lang)
        return ""

    def play_sound(self, name: str) -> bool:
        """Play a bundled sound (``assets/sounds/<name>.wav``); True when it played. A
        till without an audio device (or Kivy's audio) stays silent: no error."""
        self.sounds_played.append(name)
        try:
            if name not in self._sounds:
                from kivy.core.audio import SoundLoader  # Kivy only when a sound is wanted

                self._sounds[name] = SoundLoader.load(str(SOUNDS / f"{name}.wav"))
            sound = self._sounds[name]
            if sound is None or not sound.length:  # SDL2 without a device loads nothing
                return False
            sound.play()
        except Exception as error:  # no audio device, no provider: the till goes on
            log.info("sound %s not played: %s", name, error)
            self._sounds[name] = None
            return False
        return True
