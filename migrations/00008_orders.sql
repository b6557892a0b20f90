-- +goose Up
-- Couriers charge a flat rate per shop for now; real carrier rates can
-- replace it behind orders.ShippingRates.
ALTER TABLE shops ADD COLUMN courier_flat_idr bigint NOT NULL DEFAULT 15000 CHECK (courier_flat_idr BETWEEN 0 AND 1000000);

-- One checkout makes one order group (one payment) and one order per shop.
CREATE TABLE order_groups (
    id               uuid PRIMARY KEY,
    buyer_user_id    uuid REFERENCES users (id),
    -- The buyer's contact stays here: never in a case event, never shown to a seller beyond shipping needs.
    buyer_name       text NOT NULL,
    buyer_email      text NOT NULL,
    buyer_phone      text NOT NULL,
    shipping_method  text NOT NULL CHECK (shipping_method IN ('pickup', 'courier')),
    shipping_address text NOT NULL DEFAULT '',
    payment_method   text NOT NULL CHECK (payment_method IN ('card', 'bank_transfer', 'cash', 'qris', 'store_transfer')),
    payment_status   text NOT NULL CHECK (payment_status IN ('pending', 'paid', 'expired', 'cancelled')),
    payment_ref      text NOT NULL UNIQUE, -- the bank transfer reference, or the in-store receipt number
    provider_ref     text,                 -- Stripe Checkout Session id
    total_idr        bigint NOT NULL CHECK (total_idr > 0),
    access_hash      bytea NOT NULL,       -- a guest's private order link, hashed
    sold_by          uuid REFERENCES users (id),  -- store staff, for an in-store sale
    store_unit_id    uuid REFERENCES units (id),  -- the Sentra that took the money, for an in-store sale
    expires_at       timestamptz NOT NULL,
    paid_at          timestamptz,
    created_at       timestamptz NOT NULL
);
CREATE INDEX order_groups_buyer_idx ON order_groups (buyer_user_id, created_at DESC) WHERE buyer_user_id IS NOT NULL;
CREATE INDEX order_groups_expiry_idx ON order_groups (expires_at) WHERE payment_status = 'pending';
CREATE UNIQUE INDEX order_groups_provider_ref_key ON order_groups (provider_ref) WHERE provider_ref IS NOT NULL;

CREATE TABLE orders (
    id            uuid PRIMARY KEY,
    group_id      uuid NOT NULL REFERENCES order_groups (id),
    shop_id       uuid NOT NULL REFERENCES shops (id),
    status        text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded', 'partially_refunded')),
    subtotal_idr  bigint NOT NULL CHECK (subtotal_idr > 0),
    shipping_idr  bigint NOT NULL CHECK (shipping_idr >= 0),
    total_idr     bigint NOT NULL CHECK (total_idr = subtotal_idr + shipping_idr),
    refunded_idr  bigint NOT NULL DEFAULT 0 CHECK (refunded_idr BETWEEN 0 AND total_idr),
    carrier       text NOT NULL DEFAULT '',
    tracking_no   text NOT NULL DEFAULT '',
    delivered_at  timestamptz,
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX orders_group_idx ON orders (group_id);
CREATE INDEX orders_shop_idx ON orders (shop_id, created_at DESC);
CREATE INDEX orders_autocomplete_idx ON orders (delivered_at) WHERE status = 'delivered';

-- Lines freeze the price and the makers' shares at checkout.
CREATE TABLE order_lines (
    id             uuid PRIMARY KEY,
    order_id       uuid NOT NULL REFERENCES orders (id),
    product_id     uuid NOT NULL REFERENCES products (id),
    title          text NOT NULL,
    unit_price_idr bigint NOT NULL CHECK (unit_price_idr > 0),
    quantity       int NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    line_total_idr bigint NOT NULL CHECK (line_total_idr = unit_price_idr * quantity),
    makers         jsonb NOT NULL DEFAULT '[]',
    stock_reserved boolean NOT NULL
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);

-- Every move of an order, with who did it and for whom.
CREATE TABLE order_history (
    id           bigserial PRIMARY KEY,
    order_id     uuid NOT NULL REFERENCES orders (id),
    from_status  text NOT NULL,
    to_status    text NOT NULL,
    event        text NOT NULL,
    actor_id     uuid REFERENCES users (id),
    on_behalf_of uuid REFERENCES cases (id),
    note         text NOT NULL DEFAULT '',
    at           timestamptz NOT NULL
);
CREATE INDEX order_history_order_idx ON order_history (order_id, id);

-- Idempotency-Key: the same key and body answer the first answer again.
CREATE TABLE idempotency_keys (
    key          text NOT NULL,
    scope        text NOT NULL,
    request_hash bytea NOT NULL,
    status       int,
    body         bytea,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (scope, key)
);

-- The ledger. Amounts are signed: money an account holds for the platform
-- is positive (clearing, cash held), money owed to others is negative
-- (what a seller has earned). Every transaction sums to zero.
CREATE TABLE ledger_accounts (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    kind        text NOT NULL CHECK (kind IN ('clearing', 'cash_held', 'seller_pending', 'seller_available', 'platform_fee', 'refunds')),
    shop_id     uuid REFERENCES shops (id),
    balance_idr bigint NOT NULL DEFAULT 0
);

CREATE TABLE ledger_transactions (
    id       bigserial PRIMARY KEY,
    kind     text NOT NULL,
    ref      text NOT NULL,
    at       timestamptz NOT NULL,
    -- A money effect happens once: a second payment of the same order is refused here.
    UNIQUE (kind, ref)
);

CREATE TABLE ledger_entries (
    id             bigserial PRIMARY KEY,
    transaction_id bigint NOT NULL REFERENCES ledger_transactions (id),
    account_id     bigint NOT NULL REFERENCES ledger_accounts (id),
    amount_idr     bigint NOT NULL CHECK (amount_idr <> 0)
);
CREATE INDEX ledger_entries_account_idx ON ledger_entries (account_id);
CREATE INDEX ledger_entries_tx_idx ON ledger_entries (transaction_id);

-- At commit, every transaction touched must balance.
-- +goose StatementBegin
CREATE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
BEGIN
    SELECT coalesce(sum(amount_idr), 0) INTO total FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (%)', NEW.transaction_id, total USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_balanced();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- +goose Down
DROP TABLE ledger_entries;
DROP FUNCTION ledger_balanced();
DROP TABLE ledger_transactions;
DROP TABLE ledger_accounts;
DROP TABLE idempotency_keys;
DROP TABLE order_history;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE order_groups;
ALTER TABLE shops DROP COLUMN courier_flat_idr;
