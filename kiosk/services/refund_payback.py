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
blocked until someone checks the terminal. A QRIS call with no recorded answer is asked
again with the same refund id (the acquirers count one refund per id)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.refunds import RefundError
from kiosk.domain.sale import CompletedSale
from kiosk.payments.gateway import GatewayError, QrisCharge, QrisGateway
from kiosk.ports import BooksUnitOfWork, PaymentTerminal
from kiosk.services.card_reversal import give_back

PROVIDER_METHODS = ("card", "qris")


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
            if call is not None:
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
                ask = self._ask_terminal if call["method"] == "card" else self._ask_acquirer
                call["state"] = ask(call)
                if call["state"] == "refused":
                    continue  # it never ran: this attempt calls again
            if call["state"] != "done":
                raise RefundError.of(
                    "refund.provider_unknown",
                    message=f"the {call['method']} refund call {call['call_id']} of this sale"
                    " has no known outcome: check the terminal or the acquirer first",
                )
            pending[int(call["tender_index"])] = call
        return pending

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
        return self._settled(call, state, detail)

    def _ask_acquirer(self, call: dict[str, Any]) -> str:
        """A QRIS call with no recorded answer (the till died during it) is asked again
        with the same refund id: the acquirers count one refund per id."""
        detail = call["detail"]
        if not detail.get("refund_id"):
            return "unknown"
        state, answer = self._qris(detail["order_id"], int(call["amount"]), detail["refund_id"])
        if state == "unreached":
            return "unknown"
        return self._settled(call, state, {**answer, "resolved_by": "asked_again"})

    def _settled(self, call: dict[str, Any], state: str, detail: dict[str, Any]) -> str:
        with self.uow.transaction():
            self.uow.books.provider_answer(call["call_id"], state, detail, self.stamp())
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
        detail = {**call["detail"], "call_id": call["call_id"], "taken_again": True}
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
            return Payback(index, method, amount, method, {**detail, "call_id": call_id}, call_id)
        if state == "unknown":
            raise RefundError.of(
                "refund.provider_unknown",
                message="the card terminal's answer was lost: check its last transaction"
                " before anything else goes back to this card",
            )
        return Payback(index, method, amount, "cash", {"fallback": state, **detail})

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

    def _qris(self, order_id: str, amount: int, refund_id: str) -> tuple[str, dict[str, Any]]:
        detail: dict[str, Any] = {"order_id": order_id, "refund_id": refund_id}
        with self.uow.transaction():
            row = self.uow.books.qris_payment(order_id)
        if self.gateway is None:
            return "unreached", {**detail, "reason": "no QRIS acquirer"}
        if row is None or row["gateway"] != self.gateway.name:
            return "refused", {**detail, "reason": "paid through another acquirer"}
        charge = QrisCharge(row["order_id"], row["reference"], int(row["amount"]),
                            row["qr_string"], int(row["expires_in_s"]))  # fmt: skip
        try:
            done = self.gateway.refund(charge, refund_id, amount, "refund of a sale")
        except GatewayError as err:
            state = "unreached" if err.retryable else "refused"
            return state, {**detail, "refund_id": refund_id, "reason": str(err),
                           "code": err.code}  # fmt: skip
        return "done", {**detail, "gateway": self.gateway.name, "refund_id": refund_id,
                        "reference": done.reference}  # fmt: skip
