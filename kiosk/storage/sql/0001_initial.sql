-- Schema v1 of the kiosk ledger. Money is INTEGER rupiah; times are ISO 8601 UTC text;
-- JSON documents are TEXT in canonical form (sorted keys, no spaces).

CREATE TABLE products (
    sku              TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    price            INTEGER NOT NULL CHECK (price >= 0),
    category         TEXT NOT NULL DEFAULT '',
    unit             TEXT NOT NULL DEFAULT '',
    tax_class        TEXT NOT NULL DEFAULT '',
    tax_rate_percent TEXT,
    age_restricted   INTEGER NOT NULL DEFAULT 0,
    active           INTEGER NOT NULL DEFAULT 1,
    sold_by_weight   INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT NOT NULL
);

CREATE TABLE barcodes (
    barcode TEXT PRIMARY KEY,
    sku     TEXT NOT NULL REFERENCES products(sku) ON DELETE CASCADE
);
CREATE INDEX barcodes_by_sku ON barcodes(sku);

CREATE TABLE device_counters (
    device_id       TEXT PRIMARY KEY,
    last_receipt_no INTEGER NOT NULL
);

CREATE TABLE sales (
    sale_id        TEXT PRIMARY KEY,
    device_id      TEXT NOT NULL,
    receipt_no     INTEGER NOT NULL CHECK (receipt_no > 0),
    business_date  TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    total          INTEGER NOT NULL,
    discount_total INTEGER NOT NULL,
    gross          INTEGER NOT NULL,
    cash_rounding  INTEGER NOT NULL,
    change         INTEGER NOT NULL,
    cashier        TEXT NOT NULL,
    member_id      TEXT NOT NULL,
    mode           TEXT NOT NULL,
    void_count     INTEGER NOT NULL DEFAULT 0,
    void_amount    INTEGER NOT NULL DEFAULT 0,
    body           TEXT NOT NULL,
    UNIQUE (device_id, receipt_no)
);
-- Reports select one business day (optionally one device).
CREATE INDEX sales_by_date ON sales(business_date, device_id);

CREATE TABLE sale_lines (
    sale_id          TEXT NOT NULL REFERENCES sales(sale_id) ON DELETE CASCADE,
    line_no          INTEGER NOT NULL,
    sku              TEXT NOT NULL,
    name             TEXT NOT NULL,
    qty              INTEGER NOT NULL,
    unit_price       INTEGER NOT NULL,
    gross            INTEGER NOT NULL,
    discount         INTEGER NOT NULL,
    amount           INTEGER NOT NULL,
    tax_rate_percent TEXT NOT NULL,
    barcode          TEXT NOT NULL,
    category         TEXT NOT NULL,
    weight_g         INTEGER,
    PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;

CREATE TABLE sale_taxes (
    sale_id      TEXT NOT NULL REFERENCES sales(sale_id) ON DELETE CASCADE,
    rate_percent TEXT NOT NULL,
    taxable      INTEGER NOT NULL,
    dpp          INTEGER NOT NULL,
    ppn          INTEGER NOT NULL,
    PRIMARY KEY (sale_id, rate_percent)
) WITHOUT ROWID;

CREATE TABLE tenders (
    sale_id       TEXT NOT NULL REFERENCES sales(sale_id) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    method        TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    given         INTEGER,
    reference     TEXT NOT NULL,
    approval_code TEXT NOT NULL,
    masked_pan    TEXT NOT NULL,
    terminal_id   TEXT NOT NULL,
    PRIMARY KEY (sale_id, seq)
) WITHOUT ROWID;

CREATE TABLE stock_levels (
    sku TEXT PRIMARY KEY,
    qty INTEGER NOT NULL
);

CREATE TABLE stock_moves (
    id         INTEGER PRIMARY KEY,
    sku        TEXT NOT NULL,
    delta      INTEGER NOT NULL,
    reason     TEXT NOT NULL,
    ref        TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX stock_moves_by_sku ON stock_moves(sku, id);

CREATE TABLE journal (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    ref        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
-- verify() cross-checks sales against their journal records by ref.
CREATE INDEX journal_by_ref ON journal(ref);

CREATE TABLE suspended (
    basket_id  TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    label      TEXT NOT NULL,
    payload    TEXT NOT NULL
);

CREATE TABLE promotions (
    promo_id TEXT PRIMARY KEY,
    body     TEXT NOT NULL,
    active   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE applied_commands (
    command_id TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL,
    result     TEXT NOT NULL
);

-- Fixed contract with the MQTT drain (kiosk/telemetry): do not change without it.
CREATE TABLE outbox (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    topic      TEXT NOT NULL,        -- suffix under pos/v1/{store}/{device}/: sale, stock, alert, event
    message_id TEXT NOT NULL UNIQUE, -- sale_id for sales
    payload    TEXT NOT NULL,        -- JSON
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unsent ON outbox(id) WHERE sent_at IS NULL;
