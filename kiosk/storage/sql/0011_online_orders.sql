-- Online orders from the fleet (cmd/order), stored once per order id. Their lines hold
-- stock: available = stock_levels.qty - sum(reserved) per sku. A line's reserved units
-- go back to 0 when the order is collected (the sale moved the stock) or cancelled.
CREATE TABLE online_orders (
    order_id    TEXT PRIMARY KEY,
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    status      TEXT NOT NULL,
    prepaid     INTEGER NOT NULL,
    total       INTEGER NOT NULL,
    short       INTEGER NOT NULL DEFAULT 0,
    reason      TEXT NOT NULL DEFAULT '',
    sale_id     TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX online_orders_by_status ON online_orders(status, received_at);

CREATE TABLE online_order_lines (
    order_id TEXT NOT NULL REFERENCES online_orders(order_id),
    line_no  INTEGER NOT NULL,
    sku      TEXT NOT NULL,
    qty      INTEGER NOT NULL,
    reserved INTEGER NOT NULL,
    short    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;
CREATE INDEX online_order_lines_held ON online_order_lines(sku) WHERE reserved > 0;
