-- +goose Up
-- The buyer's language at checkout (the page's, or the API's
-- Accept-Language), so the order's emails reach the buyer in it. Groups made
-- before this column were mailed in Indonesian, the default.
ALTER TABLE order_groups ADD COLUMN lang text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en'));

-- +goose Down
ALTER TABLE order_groups DROP COLUMN lang;
