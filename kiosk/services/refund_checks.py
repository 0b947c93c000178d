"""Clearing a blocked refund share: a card or QRIS refund call whose outcome is not known
(its answer was lost, the provider did not say) blocks that share, so nothing is paid on
top of money that may already have gone back. A supervisor clears it here: the provider
is asked first (the terminal's last transaction, the acquirer's word on the refund id).
Refunded: the call is done, and the next refund of the same items books it without
calling again. A QRIS refund the acquirer does not list yet stays blocked until it is
still not there ``recheck_s`` after the call (it may be in process: check again shortly;
``kiosk.services.refund_payback``). Not refunded: it is released, and the next refund
calls the provider again or, if it refuses, pays cash with a supervisor's approval. When
the provider still cannot say, only a manager may settle it by what the provider's own
records show (the terminal's batch report, the acquirer's dashboard). Each clearing is
journaled with who did it (``refund_check``) and named on the call (``checked_by``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk.domain.refunds import RefundError
from kiosk.payments.gateway import QrisGateway
from kiosk.ports import BooksUnitOfWork, Clock, PaymentTerminal
from kiosk.services.business_day import utc_stamp
from kiosk.services.refund_payback import NOT_THERE, RECHECK_S, Paybacks
from kiosk.services.staff import StaffMember, StaffService

VERDICTS = {"refunded": "done", "not_refunded": "refused"}
OUTCOMES = {"done": "refunded", "refused": "released", "unreached": "released",
            "unknown": "still_unknown"}  # fmt: skip


@dataclass
class RefundChecks:
    uow: BooksUnitOfWork
    clock: Clock
    terminal: Callable[[], PaymentTerminal | None] = lambda: None
    gateway: QrisGateway | None = None
    recheck_s: int = RECHECK_S

    def blocked(self) -> list[dict[str, Any]]:
        """The blocked calls: call id, receipt, method, amount, since when."""
        with self.uow.transaction():
            calls = self.uow.books.provider_blocked()
        return [_summary(call) for call in calls]

    def resolve(
        self, staff: StaffMember | None, call_id: str, *, verdict: str | None = None
    ) -> dict[str, Any]:
        """Ask the provider about ``call_id`` and record its answer; with no answer, a
        manager's ``verdict`` ("refunded" / "not_refunded") settles it. The result's
        ``outcome`` is "refunded", "released", "check_again" (the acquirer does not
        list the refund yet: ask again after ``recheck_s``) or "still_unknown"."""
        member = StaffService.require(staff, "refund_check")
        if verdict is not None and verdict not in VERDICTS:
            raise RefundError.of("refund.verdict")
        with self.uow.transaction():
            call = self.uow.books.provider_get(call_id)
        if call is None:
            raise RefundError.of("refund.no_call", call=call_id)
        if call["refund_id"] is not None or call["state"] not in ("calling", "unknown"):
            raise RefundError.of("refund.not_blocked", call=call_id)
        paybacks = Paybacks(self.uow, lambda: utc_stamp(self.clock), self.terminal,
                            self.gateway, checked_by=member.name,
                            recheck_s=self.recheck_s)  # fmt: skip
        state = paybacks.ask(call)
        if state == "unknown" and verdict is not None:
            StaffService.require(member, "refund_check_manual")
            detail = {**call["detail"], "resolved_by": "supervisor"}
            state = paybacks.settle(call, VERDICTS[verdict], detail)
        outcome = OUTCOMES[state]
        if state == "unknown" and call["detail"].get("asked") == f"{NOT_THERE} yet":
            outcome = "check_again"
        return {**_summary(call), "outcome": outcome, "checked_by": member.name}


def _summary(call: dict[str, Any]) -> dict[str, Any]:
    return {
        "call_id": call["call_id"],
        "receipt_no": call.get("receipt_no"),
        "method": call["method"],
        "amount": int(call["amount"]),
        "state": call["state"],
        "since": call["created_at"],
    }
