-- Money given back through a card terminal or a QRIS acquirer, written before the call and
-- updated with its answer in transactions of their own. The refund document commits later;
-- a call that succeeded but whose refund did not commit stays here unapplied, so the next
-- attempt takes it instead of paying the customer a second time.

CREATE TABLE provider_refunds (
    call_id      TEXT PRIMARY KEY,
    sale_id      TEXT NOT NULL,
    tender_index INTEGER NOT NULL CHECK (tender_index >= 0),
    method       TEXT NOT NULL CHECK (method IN ('card', 'qris')),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    -- calling: asked, no answer yet; done: paid back; refused / unreached: not paid back;
    -- unknown: the answer was lost (a card void): never asked again, never paid in cash.
    state        TEXT NOT NULL CHECK (state IN ('calling', 'done', 'refused', 'unreached',
                                                'unknown')),
    detail       TEXT NOT NULL DEFAULT '{}',  -- JSON: kind, RRN, masked PAN, order id ...
    refund_id    TEXT,  -- the refund document that took it (NULL until applied)
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX provider_refunds_sale ON provider_refunds(sale_id);
