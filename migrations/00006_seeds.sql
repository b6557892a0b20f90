-- +goose Up
-- Which named data sets `seed` has loaded, so loading is idempotent.
CREATE TABLE seeds (
    name      text PRIMARY KEY,
    loaded_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE seeds;
