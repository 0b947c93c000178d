-- The last time this till knew. A Pi has no battery clock: after a power cut without
-- network it can boot with an old time. Sales are never dated before this floor.
CREATE TABLE clock_floor (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    floor        TEXT NOT NULL,              -- ISO 8601 UTC
    synchronised INTEGER NOT NULL DEFAULT 1, -- 0 while the system clock is behind the floor
    updated_at   TEXT NOT NULL               -- the floor as of that write (same form)
);
