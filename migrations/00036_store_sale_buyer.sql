-- +goose Up
-- A sale at a Sentra's counter has no buyer's name: the pages say "a buyer
-- at the Sentra" in the reader's language instead of a stored Indonesian text.
UPDATE order_groups SET buyer_name = '' WHERE store_unit_id IS NOT NULL AND buyer_name = 'Pembeli di Sentra';

-- +goose Down
UPDATE order_groups SET buyer_name = 'Pembeli di Sentra' WHERE store_unit_id IS NOT NULL AND buyer_name = '';
