-- The item number scale labels (prefixes 20-29) carry for a product sold by weight;
-- '' for none. Unique among products that have one (a label names one product).
ALTER TABLE products ADD COLUMN plu TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX products_plu ON products(plu) WHERE plu <> '';
