-- Stock receiving: each delivery line with its supplier and unit cost, and the moving
-- average unit cost per SKU that cost of goods and the stock report use.

CREATE TABLE stock_receipts (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL,
    qty         INTEGER NOT NULL CHECK (qty > 0),
    unit_cost   INTEGER NOT NULL CHECK (unit_cost >= 0),
    supplier    TEXT NOT NULL,
    received_by TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX stock_receipts_by_sku ON stock_receipts(sku, id);

CREATE TABLE stock_costs (
    sku        TEXT PRIMARY KEY,
    unit_cost  INTEGER NOT NULL CHECK (unit_cost >= 0),
    updated_at TEXT NOT NULL
);
