"""A supervisor's approval on the spot at the counter, and cancelling the whole sale.

An action the cashier's role may not do (a discount, a price change, cancelling a sale
above ``limits.max_cancel_amount``) opens a supervisor's PIN pad over the sale; the
supervisor's PIN does that one action in their name, journaled with both names
(kiosk.services.approvals, kiosk.services.sale_cancel); the cashier stays signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.domain.errors import ShownError
from kiosk.ports import DeviceError
from kiosk.services.approvals import approve_on_the_spot
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
    # What waits for a supervisor's PIN: the permission, what the pad says, the action
    # (done with the supervisor), and whether kiosk.services.approvals journals it.
    pending_approval: tuple[str, str, Callable[[StaffMember], None], bool] | None = None
    supervisor_pin = Keypad(8, masked=True)  # a fresh one each time a supervisor is asked
    approving_badge = ""  # a supervisor's badge read on the pad: the PIN is checked with it

    @property
    def cancel_limit(self) -> int:
        """Setting limits.max_cancel_amount: above it a supervisor approves a cancel."""
        return self.checkout.config.max_cancel_amount

    if TYPE_CHECKING:

        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...

    def with_approval(
        self, action: str, note: str, run: Callable[[StaffMember], None], *, journal: bool = True
    ) -> None:
        """``run`` with the cashier when their role may ``action``, else once a
        supervisor's PIN is typed over the sale (``note`` says what they approve)."""
        if self.cashier is None or self.cashier.may(action):
            run(self.cashier)  # type: ignore[arg-type]  # (None: the action refuses it)
            return
        self.pending_approval = (action, note, run, journal)
        self.supervisor_pin, self.approving_badge = Keypad(8, masked=True), ""
        self.overlay = "supervisor"
        self._say(self.lang._("A supervisor must approve this"), "attention")
        self._changed()

    def open_cancel(self) -> None:
        if self.checkout.basket.is_empty:
            self._say(self.lang._("There is no sale to cancel"), "attention")
        else:
            self.overlay = "cancel"
        self._changed()

    def cancel_sale(self, reason: str) -> None:
        self.overlay = ""
        total = self.lang.money(self.checkout.priced().total)
        note = self.lang._("Cancel the whole sale of {total}").format(total=total)
        if self.cashier is not None and needs_supervisor(
            self.checkout, self.cashier, self.cancel_limit
        ):  # sale_cancel journals both names itself
            run = lambda supervisor: self._cancel(reason, supervisor)  # noqa: E731
            self.with_approval("approve_limit", note, run, journal=False)
            return
        self._cancel(reason, None)

    def supervisor_key(self, key: str) -> None:
        pending = self.pending_approval
        if key == "cancel" or pending is None:
            self.overlay, self.pending_approval = "", None
            self._say(self.lang._("The sale goes on"), "info")
        elif key == "enter":
            action, note, run, journal = pending
            badge, self.approving_badge = self.approving_badge, ""
            pin = self.supervisor_pin.take()
            try:
                supervisor = (self.staff.login_badge(badge, pin) if badge
                              else self.staff.login_pin(pin))  # fmt: skip
                if journal:
                    approve_on_the_spot(self.checkout, action, self.cashier, supervisor,
                                        {"approved": note})  # fmt: skip
                else:
                    StaffService.require(supervisor, action)
            except StaffError as error:
                self._say(shown_text(error, self.lang), "error")
            else:
                self.overlay, self.pending_approval = "", None
                run(supervisor)
                return
        else:
            self.supervisor_pin.press(key)
        self._changed()

    def supervisor_badge(self, code: str) -> bool:
        """A staff badge read while the approval pad is open: whose it is, and their PIN
        next (False: not a badge)."""
        member = self.staff.by_badge(code)
        if member is None:
            return False
        self.approving_badge = code
        self.supervisor_pin = Keypad(8, masked=True)
        self._say(self.lang._("{name}: enter your PIN").format(name=member.name), "attention")
        self._changed()
        return True

    @property
    def supervisor_note(self) -> str:
        """Over the PIN pad: what the supervisor approves."""
        return self.pending_approval[1] if self.pending_approval is not None else ""

    def _cancel(self, reason: str, supervisor: StaffMember | None) -> None:
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
