-- +goose Up
-- Active listings of a PM (DOMAIN.md "Economic independence"): the products
-- they make that are on sale, counted when the month is closed. A count is a
-- state, not a sum of events, so it cannot be rebuilt for a past month:
-- months closed before this column stay NULL (unknown), and a recomputation
-- keeps the count its month's first close saw.
ALTER TABLE outcome_snapshots ADD COLUMN active_listings int CHECK (active_listings >= 0);

-- Counting one PM's listings starts from their maker rows.
CREATE INDEX product_makers_case_idx ON product_makers (case_id);

-- +goose Down
DROP INDEX product_makers_case_idx;
ALTER TABLE outcome_snapshots DROP COLUMN active_listings;
