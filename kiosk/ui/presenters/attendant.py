"""The attendant's side of a self-checkout lane: unlock by PIN or badge, approve or
reject what stopped the lane, void lines, lock again; and the fleet closing the lane."""

from __future__ import annotations

from collections import deque

from kiosk.domain.errors import ShownError
from kiosk.services.checkout import CheckoutError
from kiosk.services.sale_cancel import needs_supervisor
from kiosk.services.self_checkout import (
    NOTHING_TO_ADD,
    Intervention,
    InterventionPendingError,
    SelfCheckoutService,
)
from kiosk.services.staff import StaffError, StaffMember, StaffService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Message, badge_sign_in, intervention_text
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.refusals import N_, shown_text

# Journaled as the reason when staff cancel a customer's sale at the lane.
LANE_CANCEL = N_("Cancelled by staff at the lane")


class AttendantMixin:
    """Mixed into ``SelfCheckoutPresenter``, which provides what is declared here."""

    lane: SelfCheckoutService
    staff: StaffService
    lang: Language
    message: Message
    pin: Keypad
    attendant: StaffMember | None
    attendant_prompt: bool
    badge_pending: str = ""  # a supervisor's or manager's badge: their PIN comes next
    supervisor_prompt: bool = False  # the attendant's role is too low: a supervisor's PIN
    cancelling: bool = False  # what the supervisor approves is cancelling the whole sale
    held: deque[str]
    lane_closed: bool = False
    screen: str

    @property
    def busy(self) -> bool:
        raise NotImplementedError

    def scan(self, code: str) -> None:
        raise NotImplementedError

    def touch(self) -> None:
        raise NotImplementedError

    def _say(self, text: str, level: str = "info") -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    def attendant_open(self) -> None:
        self.attendant_prompt = True
        self.badge_pending = ""
        self.pin.take()
        self._changed()

    @property
    def pin_title(self) -> str:
        if self.supervisor_prompt:
            return self.lang._("Supervisor PIN or badge")
        return self.lang._("Staff PIN")

    @property
    def pin_note(self) -> str:
        """Above the PIN pad: what a supervisor approves, or why the last PIN failed."""
        if self.message.level == "error" and self.message.text:
            return self.message.text
        if self.supervisor_prompt and self.cancelling:
            total = self.lang.money(self.lane.checkout.priced().total)
            return self.lang._("Cancel the whole sale of {total}").format(total=total)
        if self.supervisor_prompt and self.lane.pending is not None:
            return intervention_text(self.lane.pending, self.lang, staff_view=True)
        return ""

    def attendant_key(self, key: str) -> None:
        if key == "enter":
            badge, self.badge_pending = self.badge_pending, ""
            pin = self.pin.take()
            try:
                member = self.staff.login_badge(badge, pin) if badge else self.staff.login_pin(pin)
            except StaffError as error:
                self._say(shown_text(error, self.lang), "error")
                self._changed()
                return
            if self.supervisor_prompt:
                self._approve_by(member)
            else:
                self._unlock(member)
            return
        if key == "cancel":
            self.attendant_prompt = self.supervisor_prompt = self.cancelling = False
            self.badge_pending = ""
            self.pin.take()
        else:
            self.pin.press(key)
        self._changed()

    def _badge(self, code: str) -> None:
        """A staff badge read on the lane: a cashier's opens it; a supervisor's or
        manager's opens the PIN pad for that member (and approves what waits, when the
        lane asked for a supervisor)."""
        read = badge_sign_in(self.staff, code, self.lang)
        if isinstance(read, Message):
            self.badge_pending = code if read.level == "attention" else ""
            if not self.supervisor_prompt:
                self.attendant_prompt = read.level == "attention"
            self.pin.take()
            self._say(read.text, read.level)
            self._changed()
            return
        if self.supervisor_prompt:
            self._approve_by(read)
        else:
            self._unlock(read)

    def _unlock(self, member: StaffMember) -> None:
        if not member.may("attend"):
            self._say(
                self.lang._("{name} may not attend this lane").format(name=member.name), "error"
            )
        else:
            self.attendant = member
            self.attendant_prompt = False
            self._say(self.lang._("Attendant: {name}").format(name=member.name), "info")
        self._changed()

    def approve(self) -> None:
        if self.attendant is not None and self.lane.needs_supervisor(self.attendant):
            # On the spot: a supervisor signs this one approval over the attendant's lane.
            self.supervisor_prompt = True
            self.badge_pending = ""
            self.pin.take()
            self._say(self.lang._("A supervisor must approve this"), "attention")
            self._changed()
            return
        self._decide(approve=True)

    def _approve_by(self, supervisor: StaffMember) -> None:
        self.supervisor_prompt = False
        if self.cancelling:
            self._cancel_sale(supervisor)
        else:
            self._decide(approve=True, supervisor=supervisor)

    # -- staff cancel the customer's whole sale ---------------------------------------
    def attendant_cancel(self) -> None:
        if self.attendant is None:
            return
        checkout = self.lane.checkout
        if checkout.basket.is_empty:
            self._say(self.lang._("There is no sale to cancel"), "attention")
            self._changed()
        elif needs_supervisor(checkout, self.attendant, checkout.config.max_cancel_amount):
            self.supervisor_prompt = self.cancelling = True
            self.badge_pending = ""
            self.pin.take()
            self._say(self.lang._("A supervisor must approve this"), "attention")
            self._changed()
        else:
            self._cancel_sale(None)

    def _cancel_sale(self, supervisor: StaffMember | None) -> None:
        self.cancelling = False
        if self.attendant is None:
            return
        try:
            total = self.lane.cancel_sale(self.attendant, LANE_CANCEL, supervisor=supervisor)
        except ShownError as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            text = self.lang._("Sale of {total} cancelled").format(total=self.lang.money(total))
            self._say(text, "ok")
        self._changed()
        self._release_held()

    def reject(self) -> None:
        self._decide(approve=False)

    @property
    def approve_label(self) -> str:
        """The attendant's yes: "Put aside" for an item that cannot be added anyway."""
        pending = self.lane.pending
        if pending is not None and pending.kind in NOTHING_TO_ADD:
            return self.lang._("Put aside")
        if pending is not None and pending.kind == "help":
            return self.lang._("Helped")
        return self.lang._("Approve")

    @property
    def can_reject(self) -> bool:
        """Nothing to reject for an item that cannot be added: it is put aside either way."""
        pending = self.lane.pending
        return pending is None or pending.kind not in NOTHING_TO_ADD

    def _decide(self, *, approve: bool, supervisor: StaffMember | None = None) -> None:
        if self.attendant is None:
            return
        try:
            if approve:
                decided = self.lane.approve(self.attendant, supervisor=supervisor)
            else:
                decided = self.lane.reject(self.attendant)
        except (StaffError, CheckoutError) as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self._say(*decision_text(decided, approved=approve, lang=self.lang))
        self._changed()
        self._release_held()

    def attendant_void(self, line_no: int) -> None:
        if self.attendant is None:
            return
        try:
            self.lane.staff_void(line_no, self.attendant)
        except ShownError as error:
            self._say(shown_text(error, self.lang), "error")
        self._changed()

    def lock(self) -> None:
        self.attendant = None
        self.attendant_prompt = self.supervisor_prompt = self.cancelling = False
        self.touch()
        self._changed()
        self._release_held()

    def _release_held(self) -> None:
        while self.held and not self.busy:
            code = self.held.popleft()
            try:
                self.scan(code)
            except InterventionPendingError:
                self.held.appendleft(code)
                break

    # -- the fleet closes and opens the lane (cmd/lock, cmd/unlock) ---------------------
    def close_lane(self) -> None:
        """A customer already paying finishes; nobody new can start."""
        self.lane_closed = True
        if self.screen == "attract":
            self._say(self.closed_text(), "attention")
        self._changed()

    def open_lane(self) -> None:
        self.lane_closed = False
        if self.screen == "attract":
            self._say("", "info")
        self._changed()

    def closed_text(self) -> str:
        return self.lang._("This lane is closed. Please use another till.")


def decision_text(item: Intervention, *, approved: bool, lang: Language) -> tuple[str, str]:
    """What the lane says once staff decided, worded for the customer who reads it next:
    what happened to their item, never "approved" for something that was not added."""
    _ = lang._
    name = str(item.detail.get("name", ""))
    held = item.held[0]
    if item.kind in NOTHING_TO_ADD:
        return _("Not added: please put the item aside"), "attention"
    if item.kind == "help":
        return _("Thank you for waiting. Please carry on."), "ok"
    if held == "add":
        if approved:
            return _("Added: {name}").format(name=name), "ok"
        return _("Not added: {name}").format(name=name), "attention"
    if held == "void":
        if approved:
            return _("Removed: {name}").format(name=name), "ok"
        return _("{name} stays in the basket").format(name=name), "attention"
    if held == "qty":
        if approved:
            return _("Quantity changed to {qty}").format(qty=item.held[2]), "ok"
        return _("The quantity stays as it was"), "attention"
    return (_("Approved"), "ok") if approved else (_("Rejected"), "attention")
