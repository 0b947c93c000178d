-- Loyalty points: every earning, spending and reversal as a move per member (the balance
-- is their sum; nothing is edited).
CREATE TABLE points_moves (
    id         INTEGER PRIMARY KEY,
    member_id  TEXT NOT NULL,
    sale_id    TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'reverse', 'expire')),
    points     INTEGER NOT NULL,
    spend      INTEGER NOT NULL DEFAULT 0,  -- rupiah paid that counted towards the tier
    created_at TEXT NOT NULL
);
CREATE INDEX points_moves_by_member ON points_moves(member_id, id);
