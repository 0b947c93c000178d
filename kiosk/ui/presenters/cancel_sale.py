"""Cancelling the whole sale at the counter: the cashier picks a reason; above the shop's
limit (``limits.max_cancel_amount``) a supervisor types their PIN on the spot, over the
sale, for that one approval. The rules and the journal are kiosk.services.sale_cancel's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.errors import ShownError
from kiosk.ports import DeviceError
from kiosk.services.checkout import CheckoutService
from kiosk.services.sale_cancel import cancel_sale, needs_supervisor
from kiosk.services.staff import StaffError, StaffMember, StaffService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.refusals import N_, shown_text

CANCEL_REASONS = (
    N_("The customer changed their mind"),
    N_("The customer cannot pay"),
    N_("Rung up by mistake"),
    N_("Other"),
)


class CancelSaleMixin:
    """Mixed into ``CounterPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    staff: StaffService
    lang: Language
    cashier: StaffMember | None
    overlay: str
    selected: int | None
    cancel_reason = ""  # chosen, waiting for a supervisor's PIN
    supervisor_pin = Keypad(8, masked=True)  # a fresh one each time a supervisor is asked

    @property
    def cancel_limit(self) -> int:
        """Setting limits.max_cancel_amount: above it a supervisor approves a cancel."""
        return self.checkout.config.max_cancel_amount

    if TYPE_CHECKING:

        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...

    def open_cancel(self) -> None:
        if self.checkout.basket.is_empty:
            self._say(self.lang._("There is no sale to cancel"), "attention")
        else:
            self.overlay = "cancel"
        self._changed()

    def cancel_sale(self, reason: str) -> None:
        self.overlay = ""
        if self.cashier is not None and needs_supervisor(
            self.checkout, self.cashier, self.cancel_limit
        ):
            self.cancel_reason = reason
            self.supervisor_pin = Keypad(8, masked=True)
            self.overlay = "supervisor"
            self._say(self.lang._("A supervisor must approve this"), "attention")
            self._changed()
            return
        self._cancel(reason, None)

    def supervisor_key(self, key: str) -> None:
        if key == "cancel":
            self.overlay, self.cancel_reason = "", ""
            self._say(self.lang._("The sale goes on"), "info")
        elif key == "enter":
            try:
                supervisor = self.staff.login_pin(self.supervisor_pin.take())
            except StaffError as error:
                self._say(shown_text(error, self.lang), "error")
            else:
                self.overlay = ""
                self._cancel(self.cancel_reason, supervisor)
                return
        else:
            self.supervisor_pin.press(key)
        self._changed()

    @property
    def supervisor_note(self) -> str:
        """Over the PIN pad: what the supervisor approves."""
        total = self.lang.money(self.checkout.priced().total)
        return self.lang._("Cancel the whole sale of {total}").format(total=total)

    def _cancel(self, reason: str, supervisor: StaffMember | None) -> None:
        self.cancel_reason = ""
        try:
            total = cancel_sale(self.checkout, self.cashier, reason, limit=self.cancel_limit,
                                supervisor=supervisor)  # fmt: skip
        except (ShownError, DeviceError) as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self.selected = None
            text = self.lang._("Sale of {total} cancelled").format(total=self.lang.money(total))
            self._say(text, "ok")
        self._changed()
