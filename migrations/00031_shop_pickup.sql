-- +goose Up
-- Where a shop's orders are picked up, shown at checkout before the buyer
-- confirms. Buyers never get a PM's address (DOMAIN.md rule 4): it is the
-- Balai's, the LKS's or a pick-up point's, set by staff of the unit.
ALTER TABLE shops
    ADD COLUMN pickup_place text NOT NULL DEFAULT '' CHECK (length(pickup_place) <= 100),
    ADD COLUMN pickup_address text NOT NULL DEFAULT '' CHECK (length(pickup_address) <= 300),
    ADD COLUMN pickup_hours text NOT NULL DEFAULT '' CHECK (length(pickup_hours) <= 100);

-- +goose Down
ALTER TABLE shops DROP COLUMN pickup_place, DROP COLUMN pickup_address, DROP COLUMN pickup_hours;
