"""Counter till screens: login, sale, tender, done (change), reports; overlays above."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.ui import theme
from kiosk.ui.presenters.basket_view import order_discount_row
from kiosk.ui.presenters.cancel_sale import CANCEL_REASONS
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.counter_office import NO_SALE_REASONS
from kiosk.ui.screens import qris_panel
from kiosk.ui.screens.base import Overlay, PresenterScreen, WeighPanel
from kiosk.ui.screens.counter_books import BooksScreen
from kiosk.ui.screens.counter_books import load as load_books
from kiosk.ui.screens.counter_orders import OrdersScreen
from kiosk.ui.screens.counter_orders import load as load_orders
from kiosk.ui.screens.qris_panel import QrisPanel, StaticQrisPanel
from kiosk.ui.widgets.buttons import PosButton
from kiosk.ui.widgets.keys import DIGIT_KEYS, LETTER_ROWS
from kiosk.ui.widgets.overlay import Panels, Scrim, show_overlay, show_screen

KV = Path(__file__).with_name("counter.kv")


class CounterBar(BoxLayout):
    screen = ObjectProperty(None, allownone=True)
    text = StringProperty("")
    level = StringProperty("info")
    cashier = StringProperty("")
    orders = NumericProperty(-1)  # open online orders; -1: this till has no queue


class KeypadPanel(BoxLayout):
    screen = ObjectProperty(None, allownone=True)
    entry_text = StringProperty("")

    def on_kv_post(self, *_: Any) -> None:
        self.ids.digits.keys = [*DIGIT_KEYS, ("back", theme.icon_markup("backspace"))]
        self.ids.digits.on_key = self.screen.p.key


class LoginScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = [*DIGIT_KEYS[:9], ("clear", "C"), ("0", "0"), ("enter", "OK")]
        self.ids.keypad.on_key = self.p.pin_key


class SaleScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.keypad = KeypadPanel(screen=self)
        self.quick = QuickKeys(screen=self)
        self.shown_tab = ""

    def refresh(self) -> None:
        super().refresh()
        p = self.p
        bar = self.ids.topbar
        bar.text, bar.level = p.message.text, p.message.level
        bar.cashier = p.cashier.name if p.cashier else ""
        bar.orders = -1 if p.orders_desk is None else p.orders_desk.open_count
        rows = [
            {
                "line_no": r.line_no, "name": r.name, "qty_text": r.qty_text,
                "amount_text": r.amount_text, "discount_text": r.discount_text,
                "selected": r.line_no == p.selected, "action": f"line_{r.line_no}",
                "void_action": "", "on_void": None, "on_row": p.select, "saving": False,
            }
            for r in p.basket.rows
        ] + order_discount_row(p.basket)  # fmt: skip
        self.ids.basket.show(rows)
        if self.shown_tab != p.tab:
            self.ids.panel.clear_widgets()
            self.ids.panel.add_widget(self.keypad if p.tab == "keypad" else self.quick)
            self.shown_tab = p.tab
        self.keypad.entry_text = p.entry.text


class QuickKeys(BoxLayout):
    screen = ObjectProperty(None, allownone=True)

    def on_kv_post(self, *_: Any) -> None:
        from kivy.uix.gridlayout import GridLayout

        p = self.screen.p
        grid = GridLayout(cols=3, spacing=6)
        for sku in p.quick_keys:
            product = p.checkout.catalog.by_sku(sku)
            if product is None:
                continue
            name = product.name if len(product.name) <= 22 else product.name[:21] + "…"
            label = f"{name}\n{p.lang.money(product.price)}"
            button = PosButton(label=label, action=f"quick_{sku}", base_size=15, size_hint_y=1,
                               names_product=True)  # fmt: skip
            button.shorten = False
            button.bind(on_release=lambda _b, s=sku: p.quick_key(s))
            grid.add_widget(button)
        self.add_widget(grid)


class TenderScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.ids.digits.keys = [*DIGIT_KEYS, ("back", theme.icon_markup("backspace"))]
        self.ids.digits.on_key = self.p.key

    def tenders_text(self, *_: Any) -> str:
        tenders = self.p.checkout.tenders
        if tenders is None:
            return ""
        names = {"cash": self.t("Cash"), "card": self.t("Card"), "qris": "QRIS",
                 "points": self.t("Points")}  # fmt: skip
        return "\n".join(
            f"{names.get(t.method, t.method)}: {self.p.lang.money(t.amount)}"
            for t in tenders.records()
        )

    def refresh(self) -> None:
        super().refresh()
        box = self.ids.quick
        box.clear_widgets()
        for i, amount in enumerate(self.p.quick_cash()):
            button = PosButton(
                label=self.p.lang.money(amount),
                action=f"quick_cash_{i}",
                role="soft",
                size_hint_y=1,
            )
            button.bind(on_release=lambda _b, a=amount: self.p.tender_cash(a))
            box.add_widget(button)


class DoneScreen(PresenterScreen):
    def summary(self, *_: Any) -> str:
        sale = self.p.last_sale
        if sale is None:
            return ""
        return self.t("Total {total} · receipt {number}").format(
            total=self.p.lang.money(sale.payable), number=sale.receipt_no
        )


class ReportsScreen(PresenterScreen):
    def figures(self, *_: Any) -> str:
        report = self.p.report
        if report is None:
            return ""
        x, money = report.x, self.p.lang.money
        lines = [
            f"{self.t('Sales')}: {x.get('transactions', 0)}",
            f"{self.t('Gross')}: {money(int(x.get('gross', 0)))}",
            f"{self.t('Discounts')}: {money(int(x.get('discounts', 0)))}",
            f"{self.t('Net')}: {money(int(x.get('net', 0)))}",
        ]
        names = {"cash": self.t("Cash"), "card": self.t("Card"), "qris": "QRIS",
                 "points": self.t("Points")}  # fmt: skip
        for tender in x.get("tenders", []):
            method = names.get(tender["method"], tender["method"])
            lines.append(f"{method}: {money(int(tender['amount']))} ({tender['count']})")
        voids = x.get("voids", {})
        lines.append(f"{self.t('Voids')}: {voids.get('count', 0)}")
        return "\n".join(lines)

    def refresh(self) -> None:
        super().refresh()
        report = self.p.report
        if report is not None:
            self.ids.chart.labels = [str(h) if h % 3 == 0 else "" for h, _, _ in report.by_hour]
            self.ids.chart.values = [amount for _, _, amount in report.by_hour]


class SearchPanel(Overlay):
    def on_kv_post(self, *_: Any) -> None:
        keys = [(c, c) for c in "".join(LETTER_ROWS).replace(" ", "")]
        self.ids.keyboard.keys = [
            *keys,
            (" ", self.t("Space")),
            ("back", theme.icon_markup("backspace")),
            ("clear", "C"),
        ]
        self.ids.keyboard.on_key = self.p.search_key

    def refresh(self) -> None:
        super().refresh()
        tiles = self.ids.tiles
        tiles.clear_widgets()
        for i, (sku, name, price) in enumerate(self.p.search_results()):
            button = PosButton(label=f"{name}  {price}", action=f"result_{i}", base_size=16,
                               names_product=True)  # fmt: skip
            button.sku = sku
            button.bind(on_release=lambda _b, s=sku: self.p.pick(s))
            tiles.add_widget(button)


class ChoicePanel(Overlay):
    """The no-sale reasons or the parked sales: one button per choice."""

    title = StringProperty("")
    kind = StringProperty("")

    def refresh(self) -> None:
        super().refresh()
        grid = self.ids.choices
        grid.clear_widgets()
        if self.kind == "cancel":
            self.title = self.t("Cancel the whole sale: why?")
            for i, reason in enumerate(CANCEL_REASONS):
                button = PosButton(label=self.t(reason), action=f"cancel_reason_{i}", role="soft")
                button.bind(on_release=lambda _b, r=reason: self.p.cancel_sale(r))
                grid.add_widget(button)
        elif self.kind == "no_sale":
            self.title = self.t("Open the drawer: why?")
            for i, reason in enumerate(NO_SALE_REASONS):
                button = PosButton(label=self.t(reason), action=f"reason_{i}", role="soft")
                button.bind(on_release=lambda _b, r=reason: self.p.no_sale(r))
                grid.add_widget(button)
        else:
            self.title = self.t("Parked sales")
            for parked in self.p.suspended():
                button = PosButton(
                    label=self.p.parked_label(parked),
                    action=f"resume_{parked['basket_id']}",
                    role="soft",
                )
                button.bind(on_release=lambda _b, b=parked["basket_id"]: self.p.resume(b))
                grid.add_widget(button)


class TwoLineKey(PosButton):
    """A key whose label wraps to two short lines at a readable size, where PosButton
    would shrink one long line to fit (bound after its kv rule, so this size wins)."""

    def on_kv_post(self, base_widget: Any) -> None:
        self.shorten = False
        self.fbind("width", self._readable)
        self.fbind("label", self._readable)
        self._readable()

    def _readable(self, *_: Any) -> None:
        from kivy.app import App

        self.font_size = App.get_running_app().k * 15


class SupervisorPanel(Overlay):
    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = [
            *DIGIT_KEYS[:9],
            ("cancel", self.t("Cancel")),  # a word: an icon alone is drawn too small here
            ("0", "0"),
            ("enter", "OK"),
        ]
        self.ids.keypad.on_key = self.p.supervisor_key


SCREENS: dict[str, type[PresenterScreen]] = {
    "books": BooksScreen,
    "orders": OrdersScreen,
    "login": LoginScreen,
    "sale": SaleScreen,
    "tender": TenderScreen,
    "done": DoneScreen,
    "reports": ReportsScreen,
}


class CounterRoot(FloatLayout):
    p = ObjectProperty(None)

    def __init__(self, presenter: CounterPresenter, app: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.p = presenter
        self.sm = ScreenManager(transition=NoTransition())
        self.add_widget(self.sm)
        self.scrim = Scrim()
        self.overlays = Panels({
            "search": lambda: SearchPanel(p=presenter),
            "no_sale": lambda: ChoicePanel(p=presenter, kind="no_sale"),
            "cancel": lambda: ChoicePanel(p=presenter, kind="cancel"),
            "supervisor": lambda: SupervisorPanel(p=presenter),
            "resume": lambda: ChoicePanel(p=presenter, kind="resume"),
            "weigh": lambda: WeighPanel(p=presenter),
            "qris": lambda: QrisPanel(p=presenter),
            "qris_static": lambda: StaticQrisPanel(p=presenter),
        })  # fmt: skip
        self.shown_overlay = ""
        presenter.listeners.append(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        show_screen(self.sm, SCREENS, self.p.screen, self.p)
        self.sm.current_screen.refresh()
        wanted = (
            ("weigh" if self.p.weighing is not None else self.p.overlay)
            if self.p.screen == "sale"
            else ""
        )
        if self.p.screen == "tender" and (self.p.qris.active or self.p.qris.static_amount):
            wanted = "qris" if self.p.qris.active else "qris_static"
        self.shown_overlay = show_overlay(
            self, self.scrim, self.overlays, self.shown_overlay, wanted
        )


def load() -> None:
    Builder.load_file(str(KV))
    qris_panel.load()
    load_books()
    load_orders()
