-- +goose Up
-- A page form that moves money or stock carries a one-time token. The work
-- it asks for claims the token's key in its own transaction, so the form
-- sent twice (a double tap, a reload, a retry) is done once and the repeat
-- is answered with the first result. The key is stored hashed and the
-- result sealed under it: only whoever holds the form can read it back
-- (a checkout's result is the buyer's private order link).
CREATE TABLE once_keys (
    key_hash   bytea PRIMARY KEY,
    result     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE once_keys;
