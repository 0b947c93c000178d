"""The weigh prompt both faces share: a product sold by weight was scanned or picked,
the till's scale says how much. The prompt shows the price per kg and the last reading;
"Weigh" adds the line, "Cancel" drops it. Scale faults are worded, never raised."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.catalog import LookupResult
from kiosk.domain.errors import ShownError
from kiosk.ports import DeviceError, Scale
from kiosk.services.weighing import weight_for_sale
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Message
from kiosk.ui.presenters.refusals import shown_text


class WeighingMixin:
    lang: Language
    message: Message
    scale: Scale | None
    weighing: LookupResult | None

    if TYPE_CHECKING:

        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...

    def _add_weighed(self, found: LookupResult, grams: int) -> int | None:
        """Put the weighed line on the sale (the face's service); its amount, or None
        when the lane stopped for staff instead."""
        raise NotImplementedError

    def ask_weight(self, found: LookupResult) -> None:
        self.weighing = found
        self._say(self.weigh_title, "attention")
        self._changed()

    @property
    def weigh_title(self) -> str:
        found = self.weighing
        if found is None:
            return ""
        return self.lang._("Put {name} on the scale").format(name=found.product.name)

    @property
    def weigh_price(self) -> str:
        found = self.weighing
        if found is None:
            return ""
        return self.lang._("{price} per kg").format(price=self.lang.money(found.product.price))

    def weigh_now(self) -> None:
        found = self.weighing
        if found is None:
            return
        try:
            grams = weight_for_sale(self.scale)
        except (ShownError, DeviceError) as error:
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return
        self.weighing = None
        try:
            amount = self._add_weighed(found, grams)
        except ShownError as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            if amount is not None:
                text = self.lang._("{name}: {grams} g, {amount}").format(
                    name=found.product.name, grams=grams, amount=self.lang.money(amount)
                )
                self._say(text, "ok")
        self._changed()

    def tare_scale(self) -> None:
        try:
            if self.scale is None:
                raise DeviceError("no scale", kind="scale", code="device.none")
            self.scale.tare()
        except DeviceError as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self._say(self.lang._("Scale set to zero with the container on it"), "ok")
        self._changed()

    def cancel_weighing(self) -> None:
        self.weighing = None
        self._say("", "info")
        self._changed()
