-- +goose Up
-- Where an unpaid checkout came from (an IPv6 client by its /64), so one
-- client cannot hold every product's stock with checkouts it never pays
-- (orders/limits.go counts the pending groups by address and by buyer
-- email). NULL for in-store sales and for groups made before this column.
ALTER TABLE order_groups ADD COLUMN client_ip inet;
CREATE INDEX order_groups_pending_ip_idx ON order_groups (client_ip, expires_at) WHERE payment_status = 'pending' AND client_ip IS NOT NULL;
CREATE INDEX order_groups_pending_email_idx ON order_groups (buyer_email, expires_at) WHERE payment_status = 'pending';

-- +goose Down
DROP INDEX order_groups_pending_email_idx;
DROP INDEX order_groups_pending_ip_idx;
ALTER TABLE order_groups DROP COLUMN client_ip;
