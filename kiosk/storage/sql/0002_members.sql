-- Loyalty members known to this device: identified by the card's barcode or a phone number.
CREATE TABLE members (
    member_id  TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    phone      TEXT NOT NULL DEFAULT '',   -- normalised: 08...
    card       TEXT NOT NULL DEFAULT '',   -- the barcode printed on the member card
    active     INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX members_phone ON members(phone) WHERE phone <> '';
CREATE UNIQUE INDEX members_card ON members(card) WHERE card <> '';
