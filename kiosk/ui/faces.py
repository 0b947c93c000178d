"""The till's two faces, each a presenter over the services and its root widget: the
self-checkout lane for customers and the counter for staff (``PosApp.build`` picks one)."""

from __future__ import annotations

from typing import Any

from kiosk.services.self_checkout import Limits, SelfCheckoutService
from kiosk.ui.device_effects import DeviceEffects
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.counter_orders import CounterOrders
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from kiosk.ui.till import Till


def self_checkout(
    kiosk: Till, staff: Any, effects: DeviceEffects, language: str
) -> tuple[SelfCheckoutPresenter, Any]:
    from kiosk.ui.screens import self_checkout as sco

    settings = kiosk.settings
    lane = SelfCheckoutService(
        kiosk.checkout,
        staff,
        limits=Limits.from_settings(settings.get),
        lights=effects.devices.lights,
    )
    presenter = SelfCheckoutPresenter(
        lane,
        effects,
        lang=language,
        idle_prompt_s=float(settings.get("self_checkout.idle_seconds")),
        receipt_url=str(settings.get("receipt.url")),
        members=kiosk.members,
        scale=kiosk.devices.scale if kiosk.devices is not None else None,
        loyalty=kiosk.loyalty,
    )
    sco.load()
    return presenter, sco.SelfCheckoutRoot(presenter)


def counter(
    kiosk: Till, staff: Any, effects: DeviceEffects, language: str, app: Any
) -> tuple[CounterPresenter, Any]:
    """``app``: the running PosApp, which the counter's root widget talks back to."""
    from kiosk.services.reporting import till_report
    from kiosk.ui.screens import counter as screens
    from kiosk.ui.screens.counter_orders import start_polling

    source, clock = kiosk.ledger, kiosk.clock
    timezone = str(kiosk.settings.get("timezone"))
    presenter = CounterPresenter(
        kiosk.checkout,
        staff,
        effects,
        lang=language,
        reports=lambda: till_report(source, clock, timezone),
        members=kiosk.members,
        scale=kiosk.devices.scale if kiosk.devices is not None else None,
        loyalty=kiosk.loyalty,
        books=kiosk.books,
        desk=kiosk.desk,
        print_report=lambda kind, figures: effects.print_raw(
            kiosk.report_bytes(kind, figures), f"{kind} report"
        ),
    )
    presenter.orders_desk = CounterOrders(presenter, kiosk.online_orders, kiosk.checkout,
                                          lambda: effects.play_sound("new_order"))  # fmt: skip
    screens.load()
    root = screens.CounterRoot(presenter, app)
    start_polling(presenter)
    return presenter, root
