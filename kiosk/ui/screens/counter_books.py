"""The counter's books desk screen: a menu (shift, count, X, Z, refund) and the view the
desk is in (denomination counter, shift result, receipt to refund). Drawn from
``kiosk.ui.presenters.counter_books.CounterBooks`` (the presenter's ``books_desk``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.presenters.counter_books import CASH_REASONS, COUNTED
from kiosk.ui.screens.base import PresenterScreen
from kiosk.ui.widgets.buttons import PosButton
from kiosk.ui.widgets.keys import DIGIT_KEYS

KV = Path(__file__).with_name("counter_books.kv")


class BooksScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.shown_view = ""

    @property
    def desk(self) -> Any:
        return self.p.books_desk

    def shows(self, views: str, *_: Any) -> bool:
        """Whether the desk is in one of ``views`` (kv passes ``root.tick`` to re-check)."""
        return (
            self.p is not None
            and self.p.books_desk is not None
            and self.p.books_desk.view in views.split()
        )

    def refresh(self) -> None:
        super().refresh()
        view = self.desk.view
        if view != self.shown_view:
            self.shown_view = view
            self._build(view)
        self._fill(view)

    def _build(self, view: str) -> None:
        keys = self.ids.deskkeys
        if view in ("float", "count"):
            keys.keys = [*DIGIT_KEYS[:9], ("clear", "C"), ("0", "0"), ("+", "+1")]
            keys.on_key = self.desk.count_key
        elif view == "refund":
            keys.keys = [*DIGIT_KEYS[:9], ("back", theme.icon_markup("backspace")),
                         ("0", "0"), ("enter", "OK")]  # fmt: skip
            keys.on_key = self.desk.refund_key
        elif view == "cash":
            keys.keys = [*DIGIT_KEYS, ("back", theme.icon_markup("backspace"))]
            keys.on_key = self.desk.cash_key
        else:
            keys.keys = []

    def _fill(self, view: str) -> None:
        box = self.ids.content
        box.clear_widgets()
        if view == "menu":
            desk = self.desk
            for action, icon, label, run in (
                ("desk_float", "cash", self.t("Open shift"), desk.start_float),
                ("desk_count", "drawer", self.t("Close shift"), desk.start_close),
                ("desk_cash", "cash", self.t("Cash in/out"), desk.start_cash),
                ("desk_refund", "receipt", self.t("Refund"), desk.start_refund),
                ("desk_x", "chart", self.t("X report"), desk.print_x),
                ("desk_z", "lock", self.t("Close the day (Z)"), desk.close_day),
            ):
                button = PosButton(label=label, icon=icon, action=action, role="soft",
                                   size_hint_y=1)  # fmt: skip
                button.bind(on_release=lambda _b, r=run: r())
                box.add_widget(button)
            if desk.blocked():  # only while a refund share waits for its provider's word
                button = PosButton(label=self.t("Refunds to check"), icon="alert",
                                   action="desk_checks", role="primary", size_hint_y=1)  # fmt: skip
                button.bind(on_release=lambda _b: desk.start_checks())
                box.add_widget(button)
        elif view in ("float", "count"):
            for denomination in COUNTED:
                count = self.desk.counts.get(denomination, 0)
                label = f"{self.p.lang.money(denomination)}  x {count}"
                role = "primary" if denomination == self.desk.selected else "soft"
                button = PosButton(label=label, action=f"denom_{denomination}", role=role,
                                   font_size=17, size_hint_y=1)  # fmt: skip
                button.bind(on_release=lambda _b, d=denomination: self.desk.pick(d))
                box.add_widget(button)
        elif view == "cash":
            for i, reason in enumerate(CASH_REASONS):
                role = "primary" if reason == self.desk.reason else "soft"
                button = PosButton(label=self.t(reason), action=f"cash_reason_{i}", role=role,
                                   size_hint_y=1)  # fmt: skip
                button.bind(on_release=lambda _b, r=reason: self.desk.cash_reason(r))
                box.add_widget(button)
        elif view == "checks":
            for call_id, label in self.desk.blocked():
                button = PosButton(label=label, action=f"check_{call_id[:8]}", role="soft",
                                   font_size=19, size_hint_y=None, height=72)  # fmt: skip
                button.bind(on_release=lambda _b, c=call_id: self.desk.check(c))
                box.add_widget(button)
        elif view == "refunded":
            for way, amount, drawer in self.desk.refunded:
                box.add_widget(_way_row(way, amount, drawer))
        elif view == "refund" and self.desk.sale is not None:
            for line_no, text, amount in self.desk.refund_rows():
                label = text.replace(": ", "\n", 1) + f"   {amount}"  # the name on its own line
                button = PosButton(label=label, action=f"refund_line_{line_no}", role="soft",
                                   font_size=19, size_hint_y=None, height=80)  # fmt: skip
                button.shorten = False
                button.bind(on_release=lambda _b, n=line_no: self.desk.tap_line(n))
                box.add_widget(button)

    def summary(self, *_: Any) -> str:
        desk, money = self.desk, self.p.lang.money
        if desk.view in ("float", "count"):
            return self.t("Counted: {total}").format(total=money(desk.total))
        if desk.view == "closed":
            r = desk.result
            return "\n".join((
                self.t("Expected: {amount}").format(amount=money(r["expected_cash"])),
                self.t("Counted: {total}").format(total=money(r["counted"])),
                self.t("Over/short: {amount}").format(amount=money(r["over_short"])),
            ))  # fmt: skip
        if desk.view == "menu":
            return str(desk.status())
        if desk.view == "cash":
            return self.t("Amount: {amount}").format(amount=money(desk.entry.value() or 0))
        if desk.view == "refunded":
            return self.t("Where the refund goes")
        if desk.view == "refund":
            typed = desk.entry.text
            return self.t("Receipt number: {number}").format(number=typed) if typed else ""
        return ""


def _way_row(way: str, amount: str, drawer: bool) -> BoxLayout:
    """One share of a refund: where it went and how much; what the cashier must pay out
    of the drawer now stands out."""
    colour = theme.ACCENT if drawer else theme.TEXT
    row = BoxLayout(size_hint_y=None, height=44, spacing=theme.SPACING)
    for text, align, hint in ((way, "left", 0.7), (amount, "right", 0.3)):
        label = Label(text=text, color=colour, bold=drawer, font_size=20, halign=align,
                      valign="middle", size_hint_x=hint, shorten=True)  # fmt: skip
        label.bind(size=lambda lb, size: setattr(lb, "text_size", size))
        row.add_widget(label)
    return row


def load() -> None:
    Builder.load_file(str(KV))
