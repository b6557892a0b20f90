-- +goose Up
-- A cart: a guest's, found by an unguessable token in a cookie, or a
-- buyer's, kept across devices and merged with the guest cart at login.
CREATE TABLE carts (
    id         uuid PRIMARY KEY,
    token_hash bytea UNIQUE,
    user_id    uuid UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    updated_at timestamptz NOT NULL,
    CHECK ((token_hash IS NULL) <> (user_id IS NULL))
);

CREATE TABLE cart_items (
    cart_id    uuid NOT NULL REFERENCES carts (id) ON DELETE CASCADE,
    product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    quantity   int NOT NULL CHECK (quantity BETWEEN 1 AND 100),
    added_at   timestamptz NOT NULL,
    PRIMARY KEY (cart_id, product_id)
);

-- +goose Down
DROP TABLE cart_items;
DROP TABLE carts;
