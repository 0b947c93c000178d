-- Lines of acquirers' settlement reports (`kiosk settle import`), one per reference: a
-- later report's line for the same reference replaces the earlier one (pending -> settled).

CREATE TABLE settlement_lines (
    reference   TEXT PRIMARY KEY,
    amount      INTEGER NOT NULL,
    fee         INTEGER NOT NULL,
    status      TEXT NOT NULL,
    time        TEXT NOT NULL,
    method      TEXT NOT NULL,
    line_no     INTEGER NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX settlement_lines_by_time ON settlement_lines(time);
