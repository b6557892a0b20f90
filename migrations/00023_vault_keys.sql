-- +goose Up
-- The pinned hash key (package vault): sealed like any field, so rotating
-- DATA_KEY re-seals it instead of changing it, and NIK lookups and buyer
-- hashes keep matching.
CREATE TABLE vault_keys (
    name       text PRIMARY KEY,
    sealed     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Stored Idempotency-Key answers are now kept under a hash of the key and
-- sealed (a checkout's answer holds the guest's order link token), and a
-- guest's are scoped by their address. Rows of the old form would never
-- be found again and hold tokens in clear: they go. A client retrying
-- across the upgrade runs its request anew.
DELETE FROM idempotency_keys;
-- Answers expire after 24 hours; the prune job deletes by age.
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);

-- +goose Down
DROP INDEX idempotency_keys_created_at_idx;
DROP TABLE vault_keys;
