"""Card sales that are never charged twice. When the terminal's answer was lost or could
not be read (outcome "unknown": the driver's own last-transaction inquiry did not settle
it), the next attempt for the same basket asks the terminal again first: approved with
our reference -> that payment is applied and nothing is charged again; declined, or the
terminal's last transaction is another -> the sale is tried again; still no answer ->
refused, so the cashier checks the terminal instead of charging blind."""

from __future__ import annotations

from kiosk.ports import CardResult, PaymentTerminal


class CardSales:
    def __init__(self, terminal: PaymentTerminal) -> None:
        self.terminal = terminal
        self.unresolved: dict[str, int] = {}  # reference -> amount whose outcome is unknown

    def pay(self, amount: int, reference: str) -> CardResult:
        if reference in self.unresolved:
            last = self.terminal.last_transaction()
            if last.reference == reference and last.outcome == "approved":
                del self.unresolved[reference]
                return last  # it went through after all: apply it, charge nothing more
            if last.outcome not in ("approved", "declined"):
                return CardResult("unknown", amount, message=last.message, problem="no_answer")
            del self.unresolved[reference]  # ours was declined or never ran: try again
        result = self.terminal.sale(amount, reference)
        if result.outcome == "unknown":
            self.unresolved[reference] = amount
        return result
