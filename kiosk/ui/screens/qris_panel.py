"""The QR screen of both faces: the acquirer's QR, large, with the amount, the merchant's
name and a countdown; "waiting for the bank" when the acquirer is slow; cancel. Shown
over the paying (self-checkout) or tender (counter) screen while a QRIS payment runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder

from kiosk.ui import theme
from kiosk.ui.screens.base import Overlay
from kiosk.ui.widgets.keys import DIGIT_KEYS

KV = Path(__file__).with_name("qris_panel.kv")


class QrisPanel(Overlay):
    """``p`` is a face presenter with ``qris`` (a ``QrisFlow``), ``cancel_qris`` and
    ``simulate_qris_paid``. The countdown ticks on its own while the panel is shown."""

    def on_parent(self, _widget: Any, parent: Any) -> None:
        if parent is not None:
            Clock.schedule_interval(self._second, 0.5)
        else:
            Clock.unschedule(self._second)

    def _second(self, _dt: float) -> None:
        self.tick += 1

    def amount_text(self, *_: Any) -> str:
        return str(self.p.lang.money(self.p.qris.amount)) if self.p is not None else ""


class StaticQrisPanel(Overlay):
    """The counter's static QRIS: the shop's printed code (when set) and the amount the
    customer types; staff confirm with their PIN once the payment shows in the shop's
    QRIS app (``p.static_pin_key``)."""

    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = [*DIGIT_KEYS[:9], ("cancel", theme.icon_markup("close")),
                                ("0", "0"), ("enter", "OK")]  # fmt: skip
        self.ids.keypad.on_key = self.p.static_pin_key

    def amount_text(self, *_: Any) -> str:
        return str(self.p.lang.money(self.p.qris.static_amount)) if self.p is not None else ""


def load() -> None:
    if str(KV) not in Builder.files:
        Builder.load_file(str(KV))
