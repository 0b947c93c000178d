"""The replay steps of the store's books: login/logout, shifts and cash moves, the Z
close, refunds and cancelling the open sale. A sale needs no login; these steps do
(except login itself), and one the logged-in role may not do stops the script before
anything changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.domain.bounds import check_text
from kiosk.domain.sale import iso_utc
from kiosk.services.checkout import CheckoutService
from kiosk.services.day_close import DayCloseService
from kiosk.services.refunds import RefundService
from kiosk.services.sale_cancel import ABOVE_LIMIT, cancel_sale
from kiosk.services.shifts import ShiftService
from kiosk.services.staff import StaffMember, StaffService

BOOK_STEPS = ("login", "logout", "shift_open", "cash_in", "cash_out", "shift_close", "z_close",
              "refund", "cancel_sale")  # fmt: skip
Sink = Callable[[dict[str, Any]], None]


@dataclass
class BookSteps:
    staff: StaffService
    shifts: ShiftService
    day_close: DayCloseService
    refunds: RefundService
    checkout: CheckoutService
    on_refund: Sink
    log: Callable[[str], None] = lambda _msg: None
    member: StaffMember | None = None
    on_z_close: Sink | None = None  # the Z is printed once the close is committed

    def closed_refusal(self, moment: datetime) -> str:
        """Why the clock may not be set to ``moment`` ('' if it may): a moment before the
        last Z close belongs to a closed business day."""
        last = self.day_close.uow.books.last_close()
        if last is None or iso_utc(moment) >= last["closed_at"]:
            return ""
        return (f"business day {last['business_date']} was closed by Z {last['z_number']}"
                f" at {last['closed_at']}: nothing can be added to it")  # fmt: skip

    def run(self, name: str, value: Any) -> None:
        getattr(self, f"_{name}")(value)

    def _login(self, value: Any) -> None:
        if not isinstance(value, dict) or set(value) != {"pin"}:
            raise ValueError('login needs {"pin": "..."}')
        self.member = self.staff.login_pin(check_text(value["pin"], "pin"))
        self.checkout.cashier = self.member.name
        self.log(f"{self.member.name} ({self.member.role}) logged in")

    def _logout(self, value: Any) -> None:
        if value is not True:
            raise ValueError('logout is {"logout": true}')
        self.member = None
        self.checkout.cashier = ""

    def _shift_open(self, value: Any) -> None:
        amount = _field(value, "shift_open", "float")
        opened = self.shifts.open(self.member, amount)
        self.log(f"shift {opened['shift_id']} opened with a float of {amount}")

    def _cash_in(self, value: Any) -> None:
        self._cash("in", value)

    def _cash_out(self, value: Any) -> None:
        self._cash("out", value)

    def _cash(self, direction: str, value: Any) -> None:
        amount = _field(value, f"cash_{direction}", "amount", extra=("reason",))
        reason = check_text(value.get("reason"), "reason")
        self.shifts.cash_move(self.member, direction, amount, reason)

    def _shift_close(self, value: Any) -> None:
        report = self.shifts.close(self.member, _field(value, "shift_close", "counted"))
        self.log(f"shift closed: over/short {report['over_short']}")

    def _z_close(self, value: Any) -> None:
        if value is not True:
            raise ValueError('z_close is {"z_close": true}')
        closed = self.day_close.close(self.member)
        self.log(f"Z {closed['z_number']} closed business day {closed['business_date']}")
        if self.on_z_close is not None:
            self.on_z_close(closed)

    def _refund(self, value: Any) -> None:
        receipt_no = _field(value, "refund", "receipt_no",
                            extra=("lines", "restock", "cash_approval"))  # fmt: skip
        lines = value.get("lines")
        if not isinstance(lines, list) or not all(
            isinstance(pair, list) and len(pair) == 2 for pair in lines
        ):
            raise ValueError('refund needs "lines": [[line_no, qty], ...]')
        restock = value.get("restock", True)
        if not isinstance(restock, bool):
            raise ValueError("refund: restock is true or false")
        pairs = [(pair[0], pair[1]) for pair in lines]
        # A card or QRIS share its provider does not take is paid in cash only with a
        # supervisor's PIN here (checked before anything goes back).
        approval = value.get("cash_approval")
        approver = None
        if approval is not None:
            if not isinstance(approval, dict) or set(approval) != {"pin"}:
                raise ValueError('refund: cash_approval is {"pin": "..."}')
            approver = self.staff.login_pin(check_text(approval["pin"], "pin"))
        self.on_refund(self.refunds.refund(self.member, receipt_no, pairs, restock=restock,
                                           cash_approver=approver))  # fmt: skip

    def _cancel_sale(self, value: Any) -> None:
        # As at the counter: the logged-in staff cancel with a reason, alone up to
        # limits.max_cancel_amount; above it a supervisor's PIN in the step approves.
        if not isinstance(value, dict) or not {"reason"} <= set(value) <= {"reason", "approval"}:
            raise ValueError('cancel_sale needs {"reason": "...", "approval": {"pin": "..."}}')
        approval = value.get("approval")
        supervisor = None
        if approval is not None:
            if not isinstance(approval, dict) or set(approval) != {"pin"}:
                raise ValueError('cancel_sale: approval is {"pin": "..."}')
            supervisor = StaffService.require(
                self.staff.login_pin(check_text(approval["pin"], "pin")), ABOVE_LIMIT
            )
        limit = self.checkout.config.max_cancel_amount
        total = cancel_sale(self.checkout, self.member, check_text(value["reason"], "reason"),
                            limit=limit, supervisor=supervisor)  # fmt: skip
        approved = f", approved by {supervisor.name}" if supervisor is not None else ""
        self.log(f"sale of {total} cancelled: {value['reason']}{approved}")


def _field(value: Any, step: str, key: str, *, extra: tuple[str, ...] = ()) -> int:
    """The whole-number ``key`` of a step's object (other keys only from ``extra``)."""
    if not isinstance(value, dict) or key not in value or not set(value) <= {key, *extra}:
        raise ValueError(f'{step} needs {{"{key}": ...}}')
    number = value[key]
    if isinstance(number, bool) or not isinstance(number, int):
        raise ValueError(f"{step}: {key} must be a whole number")
    return number
