"""How each share of a refund goes back: a card share through the terminal (a void before
settlement, a refund after, ``kiosk.services.card_reversal``), a QRIS share through the
acquirer with the original order id; a refusal or no answer from either sends the share
to the drawer, only with a supervisor's approval.

Order, so nothing is half done or done twice: each call is written to the ledger before
it is made and its answer after (transactions of their own), and the refund document,
written later, marks the calls it took. A call that paid back but whose refund did not
commit stays unapplied: the next refund of the sale takes it instead of calling again.
A card call whose answer was lost is never made again nor paid in cash (it may have
reached the card): the next attempt asks the terminal's last transaction, which settles
it (our reference: its outcome; the original sale: it never ran), else the share stays
blocked until someone checks the terminal. A QRIS call that got no answer (a timeout, a
5xx, the till dying during it) is settled by asking the acquirer about that refund id:
made, it is taken; no answer, the share stays blocked, never paid in cash on top (that
could pay twice) until the acquirer answers or a supervisor clears it
(``kiosk.services.refund_checks``). "No such refund" right after the call is not enough:
the acquirer may not list a refund it is still processing, so only a second "not there"
at least ``recheck_s`` after the uncertain call releases the share (cash may be offered
then, with a supervisor; released at the desk, it is called again)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kiosk.domain.refunds import RefundError
from kiosk.domain.sale import CompletedSale
from kiosk.payments.gateway import GatewayError, QrisCharge, QrisGateway, RefundState
from kiosk.ports import BooksUnitOfWork, PaymentTerminal
from kiosk.services.card_reversal import give_back

PROVIDER_METHODS = ("card", "qris")
# How long after a QRIS refund call with no answer the acquirer's "no such refund" is
# believed. Midtrans forwards a refund to the payment provider and updates the
# transaction only once the provider answers (docs.midtrans.com reference:
# refund-transaction, direct-refund-transaction); a SNAP acquirer lists a refund still in
# process as refundStatus 03, and Midtrans's SNAP status inquiry asks for a buffer before
# querying a fresh request (reference: transfer-status-inquiry, 10 minutes). A refund
# the acquirer already holds but does not list yet answers "not found": asking at once
# and paying cash on it could pay the customer twice. Setting
# payments.qris.refund_recheck_seconds.
RECHECK_S = 60
NOT_THERE = "the acquirer has no such refund"


@dataclass
class Payback:
    """One share of the refund: how it was paid back (``paid_as``) and the evidence."""

    index: int
    method: str
    amount: int
    paid_as: str = "cash"
    detail: dict[str, Any] = field(default_factory=dict)
    call_id: str = ""  # the provider call that paid it back, to mark applied


@dataclass
class Paybacks:
    uow: BooksUnitOfWork
    stamp: Callable[[], str]
    terminal: Callable[[], PaymentTerminal | None] = lambda: None
    gateway: QrisGateway | None = None
    checked_by: str = ""  # the supervisor clearing blocked shares (kiosk.services.refund_checks)
    recheck_s: int = RECHECK_S  # see RECHECK_S

    def give(
        self, sale: CompletedSale, shares: list[tuple[int, str, int]], reference: str
    ) -> list[Payback]:
        """Pay ``shares`` (tender index, method, amount) of card and QRIS tenders back
        through their provider. A share whose provider refused or could not be reached
        comes back with ``paid_as`` "cash" and the reason in ``detail["fallback"]``."""
        pending = self._pending(sale.sale_id)
        backs = []
        for index, method, amount in shares:
            call = pending.get(index)
            if call is not None and call["state"] == "unreached" and int(call["amount"]) == amount:
                # not there twice across the wait: it never reached the acquirer
                detail = {"fallback": "unreached", **_kept(call["detail"])}
                backs.append(Payback(index, method, amount, "cash", detail))
            elif call is not None and call["state"] == "done":
                backs.append(self._taken(call, index, method, amount))
            else:
                backs.append(self._call(sale, index, method, amount, reference))
        return backs

    def _pending(self, sale_id: str) -> dict[int, dict[str, Any]]:
        with self.uow.transaction():
            calls = self.uow.books.provider_unapplied(sale_id)
        pending: dict[int, dict[str, Any]] = {}
        for call in calls:
            if call["state"] in ("calling", "unknown"):  # no answer recorded: ask again
                call["state"] = self.ask(call)
                if call["state"] == "refused":
                    continue  # it never ran: this attempt calls again
            if call["state"] not in ("done", "unreached"):
                raise _blocked(call["method"], int(call["amount"]), call["detail"])
            pending[int(call["tender_index"])] = call
        return pending

    def ask(self, call: dict[str, Any]) -> str:
        """Settle a call with no recorded answer by asking its provider: "done", "refused"
        (the card call never happened), "unreached" (the QRIS refund is still not there
        ``recheck_s`` after the call) or "unknown" (no answer yet); the answer is recorded."""
        ask = self._ask_terminal if call["method"] == "card" else self._ask_acquirer
        return ask(call)

    def _ask_terminal(self, call: dict[str, Any]) -> str:
        """A card call whose answer was lost, settled by the terminal's last transaction:
        our own reference there is the answer; the original sale there means the call
        never ran (nothing came after the sale); anything else stays unknown."""
        terminal = self.terminal()
        detail = call["detail"]
        if terminal is None or not detail.get("ref"):
            return "unknown"
        last = terminal.last_transaction()
        ours = {detail["ref"], detail.get("void_ref", "")} - {""}
        if last.reference in ours and last.outcome in ("approved", "declined"):
            state = "done" if last.outcome == "approved" else "refused"
        elif last.outcome == "approved" and last.rrn == detail.get("rrn"):
            state = "refused"
        else:
            return "unknown"
        detail = {**detail, "resolved_by": "last_transaction", "refund_rrn": last.rrn,
                  "approval_code": last.approval_code}  # fmt: skip
        return self.settle(call, state, detail)

    def _ask_acquirer(self, call: dict[str, Any]) -> str:
        """A QRIS call with no recorded answer (the till died during it, or it timed out)
        is settled by the acquirer's word on its refund id: made; or still not there
        ``recheck_s`` after the call (sooner, it may be in process: it stays unknown)."""
        detail = call["detail"]
        charge = self._charge(str(detail.get("order_id", "")))
        if not detail.get("refund_id") or not isinstance(charge, QrisCharge):
            return "unknown"
        assert self.gateway is not None  # _charge found it
        try:
            found = self.gateway.refund_status(charge, detail["refund_id"])
        except GatewayError:
            return "unknown"
        if found is RefundState.PENDING:
            return "unknown"
        if found is RefundState.REFUNDED:
            return self.settle(call, "done", {**detail, "gateway": self.gateway.name,
                                              "resolved_by": "acquirer_query"})  # fmt: skip
        unsure_at = str(detail.get("unsure_at") or call["updated_at"])
        if _seconds(self.stamp(), unsure_at) < self.recheck_s:
            detail = {**detail, "unsure_at": unsure_at, "asked": f"{NOT_THERE} yet"}
            with self.uow.transaction():  # not an outcome: nobody's check is journaled
                self.uow.books.provider_answer(call["call_id"], "unknown", detail, self.stamp())
            call["detail"] = detail
            return "unknown"
        return self.settle(call, "unreached", {**detail, "gateway": self.gateway.name,
                                                 "asked": f"{NOT_THERE} (asked twice)",
                                                 "resolved_by": "acquirer_query"})  # fmt: skip

    def settle(self, call: dict[str, Any], state: str, detail: dict[str, Any]) -> str:
        """Record a lost call's outcome; one a supervisor cleared is journaled with them."""
        at = self.stamp()
        if self.checked_by:
            detail = {**detail, "checked_by": self.checked_by}
        with self.uow.transaction():
            self.uow.books.provider_answer(call["call_id"], state, detail, at)
            if self.checked_by:
                self.uow.journal("refund_check", str(call["call_id"]), {
                    "by": self.checked_by, "sale_id": call["sale_id"], "method": call["method"],
                    "amount": int(call["amount"]), "was": call["state"], "state": state,
                    "resolved_by": detail.get("resolved_by", ""),
                }, at)  # fmt: skip
        call["detail"] = detail
        return state

    @staticmethod
    def _taken(call: dict[str, Any], index: int, method: str, amount: int) -> Payback:
        if int(call["amount"]) != amount:
            raise RefundError.of(
                "refund.provider_pending", amount=int(call["amount"]),
                message=f"{call['amount']} already went back to the {method} of this sale"
                " without a refund in the books: refund the same lines again to book it",
            )  # fmt: skip
        detail = {**_kept(call["detail"]), "call_id": call["call_id"], "taken_again": True}
        return Payback(index, method, amount, method, detail, str(call["call_id"]))

    def _call(
        self, sale: CompletedSale, index: int, method: str, amount: int, reference: str
    ) -> Payback:
        call_id = uuid.uuid4().hex
        rrn = sale.tenders[index].reference
        card_ref, refund_id = f"{reference[:10]}{index:02d}", f"{reference}-{index}"
        # What identifies the call at the provider, kept before it is made.
        intent = ({"rrn": rrn, "ref": card_ref, "void_ref": f"VOID-{rrn}"} if method == "card"
                  else {"order_id": rrn, "refund_id": refund_id})  # fmt: skip
        with self.uow.transaction():
            self.uow.books.provider_call(
                call_id, sale.sale_id, index, method, amount, self.stamp(), intent
            )
        if method == "card":
            state, detail = self._card(tender_index=index, sale=sale, amount=amount,
                                       reference=card_ref)  # fmt: skip
        else:
            state, detail = self._qris(rrn, amount, refund_id)
        with self.uow.transaction():
            self.uow.books.provider_answer(call_id, state, detail, self.stamp())
        if state == "done":
            return Payback(index, method, amount, method, {**_kept(detail), "call_id": call_id},
                           call_id)  # fmt: skip
        if state == "unknown":
            raise _blocked(method, amount, detail)
        return Payback(index, method, amount, "cash", {"fallback": state, **_kept(detail)})

    def _card(
        self, *, tender_index: int, sale: CompletedSale, amount: int, reference: str
    ) -> tuple[str, dict[str, Any]]:
        tender = sale.tenders[tender_index]
        detail: dict[str, Any] = {"masked_pan": tender.masked_pan, "rrn": tender.reference}
        terminal = self.terminal()
        if terminal is None:
            return "unreached", {**detail, "reason": "no card terminal"}
        back = give_back(terminal, tender, amount, reference)
        result = back.result
        ref = f"VOID-{tender.reference}" if back.kind == "void" else reference
        detail.update(kind=back.kind, ref=ref, response_code=result.response_code,
                      approval_code=result.approval_code, refund_rrn=result.rrn,
                      terminal_id=result.terminal_id, reason=result.message)  # fmt: skip
        if back.done:
            return "done", detail
        if result.outcome == "unknown":  # it may have reached the card: never again
            return "unknown", detail
        return ("refused" if result.outcome == "declined" else "unreached"), detail

    def _charge(self, order_id: str) -> QrisCharge | str:
        """The charge behind a QRIS tender at this till's acquirer, or why there is none."""
        with self.uow.transaction():
            row = self.uow.books.qris_payment(order_id)
        if self.gateway is None:
            return "no QRIS acquirer"
        if row is None or row["gateway"] != self.gateway.name:
            return "paid through another acquirer"
        return QrisCharge(row["order_id"], row["reference"], int(row["amount"]),
                          row["qr_string"], int(row["expires_in_s"]))  # fmt: skip

    def _qris(self, order_id: str, amount: int, refund_id: str) -> tuple[str, dict[str, Any]]:
        detail: dict[str, Any] = {"order_id": order_id, "refund_id": refund_id}
        charge = self._charge(order_id)
        if not isinstance(charge, QrisCharge):
            state = "unreached" if self.gateway is None else "refused"
            return state, {**detail, "reason": charge}
        assert self.gateway is not None
        try:
            done = self.gateway.refund(charge, refund_id, amount, "refund of a sale")
        except GatewayError as err:
            detail.update(reason=str(err), code=err.code)
            if not err.retryable and err.code:  # the acquirer said no
                return "refused", detail
            if not err.sent:  # it never left the till: the acquirer cannot have refunded
                return "unreached", detail
            return self._after_no_answer(charge, refund_id, {**detail, "unsure_at": self.stamp()})
        return "done", {**detail, "gateway": self.gateway.name, "reference": done.reference}

    def _after_no_answer(
        self, charge: QrisCharge, refund_id: str, detail: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        """A refund call whose answer never came may still have paid the customer back:
        the acquirer's word on that refund id decides: made, it is taken. "No such
        refund" now may be one still in process, and no word says nothing: both keep
        the share blocked ("unknown"); a later ask settles it (``_ask_acquirer``)."""
        assert self.gateway is not None
        try:
            found = self.gateway.refund_status(charge, refund_id)
        except GatewayError as err:
            return "unknown", {**detail, "asked": str(err)}
        if found is RefundState.REFUNDED:
            return "done", {**detail, "gateway": self.gateway.name,
                            "resolved_by": "acquirer_query"}  # fmt: skip
        if found is RefundState.PENDING:
            return "unknown", {**detail, "asked": "the acquirer is still processing it"}
        return "unknown", {**detail, "asked": f"{NOT_THERE} yet"}


def _kept(detail: dict[str, Any]) -> dict[str, Any]:
    """A call's detail as the refund document keeps it (when it was unsure is the
    ledger's own bookkeeping)."""
    return {key: value for key, value in detail.items() if key != "unsure_at"}


def _seconds(later: str, earlier: str) -> float:
    """Seconds between two of the ledger's UTC stamps."""
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def _blocked(method: str, amount: int, detail: dict[str, Any]) -> RefundError:
    """A share whose earlier call has no known outcome: nothing else goes back to it."""
    if method == "qris" and detail.get("asked") == f"{NOT_THERE} yet":
        return RefundError.of(
            "refund.qris_check_again", amount=amount,
            message=f"the acquirer does not list the refund of {amount} to the QRIS yet:"
            " it may still be processing it, so nothing is paid in cash now; check again"
            " in a minute",
        )  # fmt: skip
    if method == "qris":
        return RefundError.of(
            "refund.qris_unknown", amount=amount,
            message=f"the acquirer has not said whether {amount} went back to the QRIS:"
            " nothing is paid in cash until a supervisor checks it (kiosk refunds)",
        )  # fmt: skip
    return RefundError.of(
        "refund.provider_unknown",
        message="the card terminal's answer was lost: check its last transaction"
        " before anything else goes back to this card",
    )
