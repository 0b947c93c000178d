-- QRIS payments: written before the QR is shown, so a till killed while the customer pays
-- finds the charge again on start and asks the acquirer how it ended.

CREATE TABLE qris_payments (
    order_id     TEXT PRIMARY KEY,
    gateway      TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    reference    TEXT NOT NULL DEFAULT '',
    qr_string    TEXT NOT NULL DEFAULT '',
    expires_in_s INTEGER NOT NULL DEFAULT 900,
    -- creating: asked the acquirer, no answer yet; pending: QR shown; paid: confirmed, not
    -- yet in a sale; applied: in a sale (sale_id); expired/cancelled/failed: closed unpaid.
    state        TEXT NOT NULL CHECK (state IN ('creating', 'pending', 'paid', 'applied',
                                               'expired', 'cancelled', 'failed')),
    sale_id      TEXT,
    -- A confirmation that came after the payment was closed: money to give back.
    refund_due   INTEGER NOT NULL DEFAULT 0 CHECK (refund_due IN (0, 1)),
    confirmed_by TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX qris_payments_open ON qris_payments(state) WHERE state IN ('creating', 'pending', 'paid');
