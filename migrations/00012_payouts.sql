-- +goose Up
-- Payouts move a shop's money out of seller_available into seller_payout
-- (taken by a batch) and then into seller_paid_out (handed over). Cash a
-- seller collected themselves is seller_cash against cash_with_seller and
-- never touches seller_available.
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('clearing', 'cash_held', 'seller_pending',
    'seller_available', 'seller_payout', 'seller_paid_out', 'seller_cash', 'cash_with_seller', 'platform_fee', 'refunds'));
-- A shop's balance is one indexed read; a draft finds the unit's positive balances by kind.
CREATE INDEX ledger_accounts_shop_idx ON ledger_accounts (shop_id) WHERE shop_id IS NOT NULL;

-- The balance trigger fires at commit once per entry and summed the whole
-- transaction each time: quadratic, 25 s for a 10,000-shop draft. All
-- entries are in by then, so one check per ledger transaction is enough;
-- a transaction-local setting remembers which ones were checked.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total bigint;
    seen  text := 'ledger.balanced_' || NEW.transaction_id;
BEGIN
    IF current_setting(seen, true) = 'y' THEN
        RETURN NULL;
    END IF;
    SELECT coalesce(sum(amount_idr), 0) INTO total FROM ledger_entries WHERE transaction_id = NEW.transaction_id;
    IF total <> 0 THEN
        RAISE EXCEPTION 'ledger transaction % does not balance (%)', NEW.transaction_id, total USING ERRCODE = 'check_violation';
    END IF;
    PERFORM set_config(seen, 'y', true);
    RETURN NULL;
END
$$;
-- +goose StatementEnd

-- Who a shop's money goes to, and how. The account name and number are
-- sealed with DATA_KEY; last4 is what a seller sees. A changed route is
-- pending until a supervisor other than the person who changed it confirms
-- it; only a confirmed route is used by a batch.
CREATE TABLE payout_routes (
    id               uuid PRIMARY KEY,
    shop_id          uuid NOT NULL REFERENCES shops (id),
    payee_kind       text NOT NULL CHECK (payee_kind IN ('beneficiary', 'guardian', 'lks')),
    method           text NOT NULL CHECK (method IN ('bank_transfer', 'cash', 'e_wallet')),
    account_name_enc bytea NOT NULL,
    bank             text NOT NULL DEFAULT '' CHECK (length(bank) <= 80),
    account_no_enc   bytea,
    account_no_last4 text NOT NULL DEFAULT '',
    status           text NOT NULL CHECK (status IN ('pending', 'confirmed', 'superseded')),
    changed_by       uuid NOT NULL REFERENCES users (id),
    changed_at       timestamptz NOT NULL,
    confirmed_by     uuid REFERENCES users (id),
    confirmed_at     timestamptz,
    CHECK (method = 'cash' OR account_no_enc IS NOT NULL),
    CHECK ((status = 'confirmed') <= (confirmed_by IS NOT NULL)),
    -- Maker-checker, as the last word: nobody confirms their own change.
    CHECK (confirmed_by IS NULL OR confirmed_by <> changed_by)
);
CREATE UNIQUE INDEX payout_routes_pending_key ON payout_routes (shop_id) WHERE status = 'pending';
CREATE UNIQUE INDEX payout_routes_confirmed_key ON payout_routes (shop_id) WHERE status = 'confirmed';

-- A batch pays out the available balances of one unit's network.
CREATE TABLE payout_batches (
    id             uuid PRIMARY KEY,
    unit_id        uuid NOT NULL REFERENCES units (id),
    status         text NOT NULL CHECK (status IN ('draft', 'approved', 'closed', 'cancelled')),
    min_amount_idr bigint NOT NULL DEFAULT 0 CHECK (min_amount_idr >= 0),
    total_idr      bigint NOT NULL CHECK (total_idr >= 0),
    created_by     uuid NOT NULL REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    approved_by    uuid REFERENCES users (id),
    approved_at    timestamptz,
    cancelled_by   uuid REFERENCES users (id),
    cancelled_at   timestamptz,
    closed_at      timestamptz,
    CHECK (approved_by IS NULL OR approved_by <> created_by),
    CHECK ((status IN ('approved', 'closed')) <= (approved_by IS NOT NULL))
);
CREATE INDEX payout_batches_unit_idx ON payout_batches (unit_id, created_at DESC);

-- One line per shop: its whole available balance when the draft was made.
-- The payee and the route are frozen here, so a later route change does not
-- redirect money already on its way.
CREATE TABLE payout_lines (
    id               uuid PRIMARY KEY,
    batch_id         uuid NOT NULL REFERENCES payout_batches (id),
    shop_id          uuid NOT NULL REFERENCES shops (id),
    amount_idr       bigint NOT NULL CHECK (amount_idr > 0),
    payee_kind       text NOT NULL CHECK (payee_kind IN ('beneficiary', 'guardian', 'lks')),
    method           text NOT NULL CHECK (method IN ('bank_transfer', 'cash', 'e_wallet')),
    route_id         uuid REFERENCES payout_routes (id), -- NULL: no route, cash at the Balai
    status           text NOT NULL CHECK (status IN ('pending', 'paid', 'received', 'cancelled')),
    reference        text,
    paid_method      text CHECK (paid_method IN ('bank_transfer', 'cash', 'e_wallet')),
    paid_on          date,
    paid_by          uuid REFERENCES users (id),
    paid_at          timestamptz,
    proof_key        text,
    received_by      uuid REFERENCES users (id),
    received_at      timestamptz,
    UNIQUE (batch_id, shop_id),
    CHECK ((status IN ('paid', 'received')) <= (reference IS NOT NULL AND paid_at IS NOT NULL))
);
CREATE INDEX payout_lines_shop_idx ON payout_lines (shop_id);
CREATE INDEX payout_lines_unreceived_idx ON payout_lines (paid_at) WHERE status = 'paid';

-- Each PM's part of a line, from the maker shares frozen on the order lines
-- that earned it. The parts of a line add up to it exactly.
CREATE TABLE payout_shares (
    line_id    uuid NOT NULL REFERENCES payout_lines (id),
    case_id    uuid NOT NULL REFERENCES cases (id),
    amount_idr bigint NOT NULL CHECK (amount_idr >= 0),
    PRIMARY KEY (line_id, case_id)
);

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ledger_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP TABLE payout_shares;
DROP TABLE payout_lines;
DROP TABLE payout_batches;
DROP TABLE payout_routes;
DROP INDEX ledger_accounts_shop_idx;
ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check CHECK (kind IN ('clearing', 'cash_held', 'seller_pending', 'seller_available', 'platform_fee', 'refunds'));
