-- The store's books: shifts with their cash moves, the day's close (Z) and refunds.

CREATE TABLE shifts (
    shift_id     TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    cashier      TEXT NOT NULL,
    opened_at    TEXT NOT NULL,
    float_amount INTEGER NOT NULL CHECK (float_amount >= 0),
    closed_at    TEXT,
    counted      INTEGER
);
-- One open shift per till.
CREATE UNIQUE INDEX shifts_one_open ON shifts(device_id) WHERE closed_at IS NULL;

CREATE TABLE cash_moves (
    id         INTEGER PRIMARY KEY,
    shift_id   TEXT NOT NULL REFERENCES shifts(shift_id),
    direction  TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    amount     INTEGER NOT NULL CHECK (amount > 0),
    reason     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX cash_moves_by_shift ON cash_moves(shift_id);

CREATE TABLE day_closes (
    device_id     TEXT NOT NULL,
    business_date TEXT NOT NULL,
    z_number      INTEGER NOT NULL CHECK (z_number > 0),
    closed_at     TEXT NOT NULL,
    closed_by     TEXT NOT NULL,
    PRIMARY KEY (device_id, business_date),
    UNIQUE (device_id, z_number)
);

CREATE TABLE refunds (
    refund_id     TEXT PRIMARY KEY,
    device_id     TEXT NOT NULL,
    sale_id       TEXT NOT NULL REFERENCES sales(sale_id),
    receipt_no    INTEGER NOT NULL,
    business_date TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    total         INTEGER NOT NULL,
    ppn           INTEGER NOT NULL,
    cash          INTEGER NOT NULL,
    refunded_by   TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX refunds_by_sale ON refunds(sale_id);
CREATE INDEX refunds_by_date ON refunds(business_date, device_id);
CREATE INDEX refunds_by_time ON refunds(device_id, created_at);
