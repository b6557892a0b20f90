-- +goose Up
-- pg_trgm gives typo-tolerant search ("kripik" finds "keripik"). It is a
-- trusted extension, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- +goose Down
DROP EXTENSION IF EXISTS pg_trgm;
