"""The counter's supervisor actions: opening the drawer without a sale (with a reason,
counted in the day's Z) and the till's reports. Mixed into ``CounterPresenter``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.domain.errors import ShownError
from kiosk.ports import DeviceError
from kiosk.services.books import Books
from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutError, CheckoutService
from kiosk.services.reporting import TillReport
from kiosk.services.staff import StaffMember, StaffService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Effects
from kiosk.ui.presenters.refusals import N_, shown_text

NO_SALE_REASONS = (
    N_("Change for the float"),
    N_("Wrong change given"),
    N_("Cash pickup"),
    N_("Other"),
)
_ERRORS = (ShownError, DeviceError)


class CounterOfficeMixin:
    """Mixed into ``CounterPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    effects: Effects
    lang: Language
    books: Books | None
    cashier: StaffMember | None
    overlay: str
    screen: str
    reports: Callable[[], TillReport] | None
    report: TillReport | None

    if TYPE_CHECKING:

        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...
        def _run(self, action: Callable[[], Any], ok: str = "") -> bool: ...
        def _release_held(self) -> None: ...
        def with_approval(
            self,
            action: str,
            note: str,
            run: Callable[[StaffMember], None],
            *,
            journal: bool = True,
        ) -> None: ...

    def no_sale(self, reason: str) -> None:
        self.overlay = ""
        if not reason.strip():
            self._say(self.lang._("A reason is required to open the drawer"), "error")
            self._changed()
            return
        # A cashier's no-sale: a supervisor's PIN on the spot (cancel_sale.with_approval).
        note = self.lang._("Open the drawer: {reason}").format(reason=self.lang._(reason))
        self.with_approval("no_sale", note, lambda member: self._no_sale(reason, member))

    def _no_sale(self, reason: str, staff: StaffMember | None) -> None:
        def act() -> None:
            basket_id = self.checkout.basket.basket_id
            if self.books is not None:  # counted in the day's Z
                self.books.shifts.no_sale(staff, reason, basket_id)
            else:
                member = StaffService.require(staff, "no_sale")
                payload = {"reason": reason, "staff_id": member.staff_id,
                           "staff_name": member.name}  # fmt: skip
                self.checkout.ledger.record_event(
                    "no_sale", basket_id, payload, utc_stamp(self.checkout.clock)
                )

        if self._run(act):  # journaled first; a drawer that fails says so
            problem = self.effects.open_drawer("no-sale: " + reason)
            self._say(problem or self.lang._("Drawer opened"), "error" if problem else "ok")
            self._changed()

    def open_reports(self) -> None:
        note = self.lang._("Open the reports")
        self.with_approval("reports", note, self._open_reports)

    def _open_reports(self, member: StaffMember | None) -> None:
        try:
            StaffService.require(member, "reports")
            if self.reports is None:
                raise CheckoutError.of("checkout.no_reports")
            self.report = self.reports()
        except _ERRORS as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self.screen = "reports"
        self._changed()

    def close_reports(self) -> None:
        self.screen = "sale"
        self._changed()
        self._release_held()
