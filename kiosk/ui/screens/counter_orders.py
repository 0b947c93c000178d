"""The counter's online-orders screen: each open order as a card (customer, channel,
pickup or delivery, lines, total, paid or not, status) with its next step, collect and
cancel; cancelling asks for a reason first. Drawn from
``kiosk.ui.presenters.counter_orders.CounterOrders`` (the presenter's ``orders_desk``),
which the app polls every few seconds so a new order shows in the badge and chimes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.presenters.counter_orders import CANCEL_REASONS, OrderRow
from kiosk.ui.presenters.refusals import N_
from kiosk.ui.screens.base import PresenterScreen
from kiosk.ui.widgets.buttons import PosButton

KV = Path(__file__).with_name("counter_orders.kv")
POLL_S = 2.0  # a new order is seen (and heard) within this
STEP_LABELS = {"accepted": N_("Accept"), "packed": N_("Mark packed"), "ready": N_("Mark ready"),
               "delivered": N_("Mark delivered")}  # fmt: skip


class OrdersScreen(PresenterScreen):
    @property
    def desk(self) -> Any:
        return self.p.orders_desk

    def refresh(self) -> None:
        super().refresh()
        box = self.ids.content
        box.clear_widgets()
        if self.desk.chosen:
            for i, reason in enumerate(CANCEL_REASONS, start=1):
                button = PosButton(label=self.t(reason), action=f"cancel_reason_{i}",
                                   role="soft", size_hint_y=None, height=64)  # fmt: skip
                button.bind(on_release=lambda _b, r=reason: self.desk.cancel(r))
                box.add_widget(button)
            return
        rows = self.desk.rows()
        if not rows:
            box.add_widget(self._text(self.t("No open online orders"), 20))
        for n, row in enumerate(rows, start=1):
            box.add_widget(self._card(n, row))

    def _text(self, text: str, size: int, *, bold: bool = False) -> Label:
        label = Label(text=text, font_size=size, bold=bold, color=theme.TEXT, halign="left",
                      valign="middle", size_hint_y=None)  # fmt: skip
        label.bind(width=lambda w, v: setattr(w, "text_size", (v, None)),
                   texture_size=lambda w, v: setattr(w, "height", v[1] + 6))  # fmt: skip
        return label

    def _card(self, n: int, row: OrderRow) -> BoxLayout:
        card = BoxLayout(orientation="vertical", size_hint_y=None, spacing=4, padding=4)
        card.add_widget(self._text(f"{row.status}  ·  {row.title}", 18, bold=True))
        card.add_widget(self._text(row.lines, 16))
        card.add_widget(self._text(f"{row.total}  ·  {row.paid}", 16))
        buttons = BoxLayout(size_hint_y=None, height=56, spacing=6)
        desk, order_id = self.desk, row.order_id
        if row.next_step:
            step = PosButton(label=self.t(STEP_LABELS[row.next_step]), action=f"order_next_{n}",
                             role="go", font_size=18)  # fmt: skip
            step.bind(on_release=lambda _b, s=row.next_step: desk.advance(order_id, s))
            buttons.add_widget(step)
        if row.can_collect:
            said = self.t("Hand to the rider") if row.delivery else self.t("Collect")
            collect = PosButton(label=said, action=f"order_collect_{n}",
                                role="go", font_size=18)  # fmt: skip
            collect.bind(on_release=lambda _b: desk.collect(order_id))
            buttons.add_widget(collect)
        if row.next_step != "delivered":  # what the rider took is sold: no cancel
            cancel = PosButton(label=self.t("Cancel order"), action=f"order_cancel_{n}",
                               role="danger", font_size=18)  # fmt: skip
            cancel.bind(on_release=lambda _b: desk.ask_cancel(order_id))
            buttons.add_widget(cancel)
        card.add_widget(buttons)
        card.height = sum(c.height for c in card.children) + 4 * 4 + 8
        for child in card.children:  # a wrapped line grows its label: the card follows
            child.bind(height=lambda *_a, c=card: setattr(
                c, "height", sum(x.height for x in c.children) + 4 * 4 + 8))  # fmt: skip
        return card


def start_polling(presenter: Any) -> None:
    """Look for new orders now and every ``POLL_S`` (the agent stores them in the ledger)."""
    desk = presenter.orders_desk
    if desk is None:
        return
    desk.poll()
    Clock.schedule_interval(lambda _dt: desk.poll(), POLL_S)


def load() -> None:
    Builder.load_file(str(KV))
