"""A simulated note and coin acceptor with a change dispenser.

It keeps the state a real one has (taking money or not, what went in, what went out)
and refuses what a real one refuses: money while it is not taking any, and anything
that is not a Rupiah note or coin it was set up for. ``insert`` is the customer's hand;
the demo's "insert cash" button and the UI tests use it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from kiosk.ports import CashListener, DeviceEvent, DeviceListener, DeviceState, DeviceStatus

KIND = "cash_acceptor"
# Notes and coins in circulation (Bank Indonesia), smallest first.
RUPIAH = (100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


class SimulatedCashAcceptor:
    def __init__(
        self,
        name: str = "cash-sim",
        *,
        denominations: Iterable[int] = RUPIAH,
        on_event: DeviceListener | None = None,
    ) -> None:
        self.name = name
        self.denominations = tuple(sorted(int(d) for d in denominations))
        unknown = set(self.denominations) - set(RUPIAH)
        if unknown or not self.denominations:
            raise ValueError(f"cash acceptor denominations must be Rupiah notes or coins, "
                             f"got {sorted(unknown) or 'none'}")  # fmt: skip
        self.inserted: list[int] = []  # everything taken, in order
        self.dispensed: list[int] = []  # every change payout
        self.refused: list[int] = []
        self._on_event = on_event
        self._on_inserted: CashListener | None = None
        self._due = 0
        self._lock = threading.Lock()

    # -- CashAcceptor port ----------------------------------------------------------------
    def status(self) -> DeviceStatus:
        state = DeviceState.BUSY if self._on_inserted is not None else DeviceState.IDLE
        return DeviceStatus(KIND, self.name, state, "", {"simulated": True, "due": self._due})

    def accept(self, amount_due: int, on_inserted: CashListener) -> None:
        with self._lock:
            self._due, self._on_inserted = amount_due, on_inserted

    def stop(self) -> None:
        with self._lock:
            self._due, self._on_inserted = 0, None

    def dispense(self, amount: int) -> int:
        if amount < 0:
            raise ValueError(f"change must be >= 0, got {amount}")
        self.dispensed.append(amount)
        return amount

    def close(self) -> None:
        self.stop()

    # -- the customer's hand ----------------------------------------------------------------
    def insert(self, amount: int) -> bool:
        with self._lock:
            listener = self._on_inserted
            taken = listener is not None and amount in self.denominations
            if taken:
                self.inserted.append(amount)
                self._due = max(0, self._due - amount)
            else:
                self.refused.append(amount)
        if listener is not None and taken:
            listener(amount)
        elif self._on_event is not None:
            reason = "not taking money" if listener is None else f"not a known note: {amount}"
            self._on_event(DeviceEvent(KIND, self.name, "cash_refused", self.status(), reason))
        return taken

    def note_for(self, amount_due: int) -> int:
        """The smallest note or coin that covers ``amount_due``, else the largest one: what
        a customer in a hurry puts in next."""
        return next((d for d in self.denominations if d >= amount_due), self.denominations[-1])
