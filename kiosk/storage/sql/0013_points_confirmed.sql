-- The fleet's last confirmed loyalty balance per member (cmd/points): what a till may
-- spend offline is this minus what it redeemed after the move numbered seen_seq.
CREATE TABLE points_confirmed (
    member_id  TEXT PRIMARY KEY,
    balance    INTEGER NOT NULL,
    seen_seq   INTEGER NOT NULL DEFAULT 0,  -- this device's journal seq counted in it
    as_of      TEXT NOT NULL,               -- when the fleet counted
    command_id TEXT NOT NULL
);
