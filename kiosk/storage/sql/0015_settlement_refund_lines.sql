-- Refund lines of acquirers' settlement reports (`kiosk settle import`): a negative amount,
-- a refund status, type or key. Kept apart from settlement_lines, whose one line per
-- reference is the payment: a payment and its refunds share the order id. A line is keyed
-- by the refund's own id when the report names it, else by its reference, time and amount.

CREATE TABLE settlement_refund_lines (
    line_key    TEXT PRIMARY KEY,
    reference   TEXT NOT NULL,
    refund_key  TEXT NOT NULL,
    amount      INTEGER NOT NULL CHECK (amount >= 0),  -- what went back, positive
    fee         INTEGER NOT NULL,
    status      TEXT NOT NULL,
    time        TEXT NOT NULL,
    method      TEXT NOT NULL,
    line_no     INTEGER NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX settlement_refund_lines_by_reference ON settlement_refund_lines(reference);
