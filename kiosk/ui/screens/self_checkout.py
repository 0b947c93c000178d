"""Self-checkout screens and the lane's root: screens below, one overlay above."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from kivy.lang import Builder
from kivy.properties import ObjectProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.ui import theme
from kiosk.ui.presenters.basket_view import order_discount_row
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from kiosk.ui.screens import qris_panel
from kiosk.ui.screens.base import Overlay, PresenterScreen, WeighPanel
from kiosk.ui.screens.qris_panel import QrisPanel
from kiosk.ui.widgets.buttons import PosButton
from kiosk.ui.widgets.keys import DIGIT_KEYS, LETTER_ROWS
from kiosk.ui.widgets.overlay import Panels, Scrim, show_overlay, show_screen

KV = Path(__file__).with_name("self_checkout.kv")


def basket_rows(p: Any, void_prefix: str, on_void: Any) -> list[dict[str, Any]]:
    return [
        {
            "line_no": row.line_no,
            "name": row.name,
            "qty_text": row.qty_text,
            "amount_text": row.amount_text,
            "discount_text": row.discount_text,
            "selected": False,
            "action": f"line_{row.line_no}",
            "void_action": f"{void_prefix}_{row.line_no}",
            "on_void": on_void,
            "on_row": None,
            "saving": False,
        }
        for row in p.basket.rows
    ] + order_discount_row(p.basket)


def entry_keys(corner: tuple[str, str]) -> list[tuple[str, str]]:
    """A code's keypad: 7-9 at the top, ``corner`` left of 0, OK at the bottom right."""
    return [*DIGIT_KEYS[:9], corner, ("0", "0"), ("enter", "OK")]


class AttractScreen(PresenterScreen):
    pass


class ScanScreen(PresenterScreen):
    def refresh(self) -> None:
        super().refresh()
        self.ids.basket.show(basket_rows(self.p, "void", self.p.request_void))


class SearchScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        keys = [(c, c) for c in "".join(LETTER_ROWS).replace(" ", "")]
        keys += [(" ", self.t("Space")), ("back", theme.icon_markup("backspace")), ("clear", "C")]
        self.ids.keyboard.keys = keys
        self.ids.keyboard.on_key = self.p.search_key

    def refresh(self) -> None:
        super().refresh()
        tiles = self.ids.tiles
        tiles.clear_widgets()
        p = self.p
        if not p.search_text and not p.category:
            for i, category in enumerate(p.checkout.catalog.categories()):
                button = PosButton(label=category, role="soft", action=f"category_{i}")
                button.bind(on_release=lambda _b, c=category: p.choose_category(c))
                tiles.add_widget(button)
            return
        for i, (sku, name, price) in enumerate(p.search_results()):
            short = name if len(name) <= 26 else name[:25] + "…"
            button = PosButton(label=f"{short}\n{price}", action=f"result_{i}", base_size=16,
                               names_product=True)  # fmt: skip
            button.shorten = False
            button.sku = sku
            button.bind(on_release=lambda _b, s=sku: p.pick(s))
            tiles.add_widget(button)


class MemberScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = [*DIGIT_KEYS, ("back", theme.icon_markup("backspace"))]
        self.ids.keypad.on_key = self.p.member_key


class PriceCheckScreen(PresenterScreen):
    """The customer's price check (presenters/price_check.py): scan, or type the barcode."""

    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = entry_keys(("back", theme.icon_markup("backspace")))
        self.ids.keypad.on_key = self.p.price_key


class PaymentScreen(PresenterScreen):
    ICON: ClassVar[dict[str, str]] = {"qris": "qr", "card": "card", "cash": "cash"}

    def refresh(self) -> None:
        super().refresh()
        box = self.ids.methods
        box.clear_widgets()
        labels = {
            "qris": self.t("QRIS"),
            "card": self.t("Debit / credit card"),
            "cash": self.t("Cash"),
        }
        for method in self.p.payment_methods:
            button = PosButton(
                label=labels[method],
                icon=self.ICON[method],
                role="primary",
                action=f"pay_{method}",
                size_hint_y=1,
                base_size=26,
            )
            button.bind(on_release=lambda _b, m=method: self.p.choose_payment(m))
            box.add_widget(button)
        if self.p.points_offer[1]:  # a member with points this purchase can take
            button = PosButton(label=self.t("Points"), icon="account", role="soft",
                               action="pay_points", size_hint_y=1, base_size=26)  # fmt: skip
            button.bind(on_release=lambda _b: self.p.open_points())
            box.add_widget(button)


class PointsScreen(PresenterScreen):
    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = [*DIGIT_KEYS, ("back", theme.icon_markup("backspace")),
                                ("clear", "C")]  # fmt: skip
        self.ids.keypad.on_key = self.p.points_key


class PayingScreen(PresenterScreen):
    pass


class ReceiptScreen(PresenterScreen):
    pass


class ThanksScreen(PresenterScreen):
    pass


class InterventionOverlay(Overlay):
    pass


class StillThereOverlay(Overlay):
    pass


class PinOverlay(Overlay):
    def on_kv_post(self, *_: Any) -> None:
        self.ids.keypad.keys = entry_keys(("cancel", theme.icon_markup("close")))
        self.ids.keypad.on_key = self.p.attendant_key


class AttendantOverlay(Overlay):
    def refresh(self) -> None:
        super().refresh()
        self.ids.basket.show(basket_rows(self.p, "staffvoid", self.p.attendant_void))


SCREENS = {
    "attract": AttractScreen,
    "scan": ScanScreen,
    "search": SearchScreen,
    "price_check": PriceCheckScreen,
    "member": MemberScreen,
    "payment": PaymentScreen,
    "points": PointsScreen,
    "paying": PayingScreen,
    "receipt": ReceiptScreen,
    "thanks": ThanksScreen,
}


class SelfCheckoutRoot(FloatLayout):
    """ScreenManager below; above it at most one overlay on a scrim."""

    p = ObjectProperty(None)

    def __init__(self, presenter: SelfCheckoutPresenter, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.p = presenter
        self.sm = ScreenManager(transition=NoTransition())
        self.add_widget(self.sm)
        self.scrim = Scrim()
        self.overlays = Panels({
            "intervention": lambda: InterventionOverlay(p=presenter),
            "still_there": lambda: StillThereOverlay(p=presenter),
            "pin": lambda: PinOverlay(p=presenter),
            "attendant": lambda: AttendantOverlay(p=presenter),
            "weigh": lambda: WeighPanel(p=presenter),
            "qris": lambda: QrisPanel(p=presenter),
        })  # fmt: skip
        self.shown_overlay = ""
        presenter.listeners.append(self.refresh)
        self.refresh()

    def overlay_name(self) -> str:
        p = self.p
        if p.supervisor_prompt:
            return "pin"  # over the attendant's view: a supervisor approves on the spot
        if p.attendant is not None:
            return "attendant"
        if p.attendant_prompt:
            return "pin"
        if p.lane.pending is not None:
            return "intervention"
        if p.still_there:
            return "still_there"
        if p.weighing is not None:
            return "weigh"
        if p.qris.active and p.screen == "paying":
            return "qris"
        return ""

    def refresh(self) -> None:
        show_screen(self.sm, SCREENS, self.p.screen, self.p)
        screen = self.sm.current_screen
        screen.refresh()
        wanted = self.overlay_name()
        self.shown_overlay = show_overlay(
            self, self.scrim, self.overlays, self.shown_overlay, wanted
        )


def load() -> None:
    Builder.load_file(str(KV))
    qris_panel.load()
