-- The catalog as it was before each change (import, fleet snapshot or delta, prices),
-- so one command brings it back. Products as zlib-compressed JSON; the newest few kept.
CREATE TABLE catalog_versions (
    version_id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    reason     TEXT NOT NULL,
    by         TEXT NOT NULL,
    products   INTEGER NOT NULL,
    body       BLOB NOT NULL
);

-- A command id is bound to its name and body: the same id with another body is refused.
ALTER TABLE applied_commands ADD COLUMN fingerprint TEXT;
