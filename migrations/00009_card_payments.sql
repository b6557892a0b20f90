-- +goose Up
-- Stripe's payment behind a paid card group, for refunds and disputes.
ALTER TABLE order_groups ADD COLUMN provider_payment_id text;

-- Every webhook event once: Stripe delivers at least once, often more.
CREATE TABLE webhook_inbox (
    event_id     text PRIMARY KEY,
    provider     text NOT NULL,
    type         text NOT NULL,
    received_at  timestamptz NOT NULL,
    outcome      text NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE webhook_inbox;
ALTER TABLE order_groups DROP COLUMN provider_payment_id;
