-- Cost of goods at the time of sale: each line's moving-average unit cost as it stood when
-- the sale was committed (only lines whose SKU has a known cost), written in the sale's
-- own transaction. And the drawer opened without a sale, counted per business day.
CREATE TABLE sale_line_costs (
    sale_id   TEXT NOT NULL,
    line_no   INTEGER NOT NULL,
    unit_cost INTEGER NOT NULL CHECK (unit_cost >= 0),
    units     INTEGER NOT NULL,  -- as the stock moved: units, or grams for a weighed line
    PRIMARY KEY (sale_id, line_no)
) WITHOUT ROWID;

CREATE TABLE no_sales (
    id            INTEGER PRIMARY KEY,
    device_id     TEXT NOT NULL,
    business_date TEXT NOT NULL,
    shift_id      TEXT,
    reason        TEXT NOT NULL,
    opened_by     TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX no_sales_by_day ON no_sales(business_date, device_id);
