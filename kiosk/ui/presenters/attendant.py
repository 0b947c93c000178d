"""The attendant's side of a self-checkout lane: unlock by PIN or badge, approve or
reject what stopped the lane, void lines, lock again; and the fleet closing the lane."""

from __future__ import annotations

from collections import deque

from kiosk.domain.errors import ShownError
from kiosk.services.checkout import CheckoutError
from kiosk.services.self_checkout import InterventionPendingError, SelfCheckoutService
from kiosk.services.staff import StaffError, StaffMember, StaffService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Message, badge_sign_in
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.refusals import shown_text


class AttendantMixin:
    """Mixed into ``SelfCheckoutPresenter``, which provides what is declared here."""

    lane: SelfCheckoutService
    staff: StaffService
    lang: Language
    pin: Keypad
    attendant: StaffMember | None
    attendant_prompt: bool
    badge_pending: str = ""  # a supervisor's or manager's badge: their PIN comes next
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
            self._unlock(member)
            return
        if key == "cancel":
            self.attendant_prompt = False
            self.badge_pending = ""
            self.pin.take()
        else:
            self.pin.press(key)
        self._changed()

    def _badge(self, code: str) -> None:
        """A staff badge read on the lane: a cashier's opens it; a supervisor's or
        manager's opens the PIN pad for that member."""
        read = badge_sign_in(self.staff, code, self.lang)
        if isinstance(read, Message):
            self.badge_pending = code if read.level == "attention" else ""
            self.attendant_prompt = read.level == "attention"
            self.pin.take()
            self._say(read.text, read.level)
            self._changed()
            return
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
        self._decide(approve=True)

    def reject(self) -> None:
        self._decide(approve=False)

    def _decide(self, *, approve: bool) -> None:
        if self.attendant is None:
            return
        try:
            if approve:
                self.lane.approve(self.attendant)
            else:
                self.lane.reject(self.attendant)
        except (StaffError, CheckoutError) as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self._say(self.lang._("Approved") if approve else self.lang._("Rejected"), "ok")
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
        self.attendant_prompt = False
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
