"""The till's QRIS wiring, mixed into ``bootstrap.Kiosk``: the acquirer the settings
choose (one per till: the simulated one keeps its charges in memory, so the worker
thread and the screen must share it), payments over the ledger, and the start's recovery
of a payment a killed run left waiting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.payments.gateway import GatewayError, QrisGateway
from kiosk.services.checkout import CheckoutService
from kiosk.services.qris_payment import QrisPaymentService
from kiosk.services.qris_till import Recovered, recover_payments
from kiosk.storage.ledger import SqliteLedger

LEDGER_FILE = "ledger.sqlite"  # bootstrap.LEDGER_FILE (bootstrap imports this module)


class QrisWiring:
    data_dir: Path
    settings: Any
    ledger: SqliteLedger
    checkout: CheckoutService
    _qris_gateway: QrisGateway | None = None

    def qris_service(self, *, own_connection: bool = False) -> QrisPaymentService:
        """QRIS payments over this ledger; ``own_connection`` for a worker thread (the
        caller closes ``service.conn``)."""
        from kiosk.payments.configured import till_gateway
        from kiosk.storage.db import open_db

        if self._qris_gateway is None:
            self._qris_gateway = till_gateway(self.settings.all())
        conn = open_db(self.data_dir / LEDGER_FILE, migrate=False) if own_connection else None
        return QrisPaymentService(conn or self.ledger.conn, self._qris_gateway)

    def recover_payments(self) -> list[Recovered]:
        """Finish or void the QRIS payments a killed till left open (after
        ``restore_open_basket``): see ``kiosk.services.qris_till.recover_payments``. A
        gateway that cannot be built from the settings leaves them for the next start."""
        try:
            service = self.qris_service()
        except (GatewayError, KeyError):
            return []
        return recover_payments(self.checkout, service)
