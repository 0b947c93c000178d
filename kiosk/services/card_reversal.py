"""Card money back through the terminal: a void while the terminal's batch still holds
the sale (before its settlement: nothing reaches the customer's statement), a refund
after it. The terminal decides which applies (it refuses the void of a settled sale), so
the till never guesses about the bank's end of day. A void whose outcome is unknown is
never followed by a refund: that could pay the customer back twice."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.sale import TenderRecord
from kiosk.ports import CardResult, PaymentTerminal

NOT_IN_BATCH = ("12", "25")  # invalid transaction / original not found: settled already


@dataclass(frozen=True)
class CardReversal:
    kind: str  # "void" or "refund"
    result: CardResult

    @property
    def done(self) -> bool:
        return self.result.outcome == "approved"


def give_back(
    terminal: PaymentTerminal, tender: TenderRecord, amount: int, reference: str
) -> CardReversal:
    """Give ``amount`` of a card ``tender`` back: a void of the whole tender if the batch
    has it, otherwise (settled, or a part) a refund with ``reference``."""
    if tender.method != "card" or not tender.reference:
        raise ValueError("only a card tender with its RRN can go back to the card")
    if not 0 < amount <= tender.amount:
        raise ValueError(f"between 1 and {tender.amount} can go back to this card")
    if amount == tender.amount:
        void = terminal.void(tender.reference, amount)
        settled = void.outcome == "declined" and void.response_code in NOT_IN_BATCH
        if not settled:
            return CardReversal("void", void)
    return CardReversal("refund", terminal.refund(tender.reference, amount, reference))
