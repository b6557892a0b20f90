-- +goose Up
-- A buyer's email is verified once they open a link mailed to it. Until
-- then the address is only what someone typed: guest orders placed with it
-- are not shown in the account (anyone could register another person's
-- address and read that person's orders).
ALTER TABLE users ADD COLUMN email_verified_at timestamptz;

-- Verification links, hashed like sessions; email is the address the link
-- was sent to, so a link never verifies an address the account no longer has.
CREATE TABLE email_verifications (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email      text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX email_verifications_user_idx ON email_verifications (user_id, created_at);

-- A reset link the owner asked for by email ("Lupa kata sandi?") records the
-- address it went to; a staff-made link, handed over in person, has none.
-- Opening a mailed link proves the inbox is the owner's, as a verification
-- link does.
ALTER TABLE password_resets ADD COLUMN sent_to text;
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at);

-- Requests for a mailed reset link, per client address, for the rate limit
-- (the answer is the same whether an account exists, so the limit counts
-- every request, not only links sent).
CREATE TABLE password_reset_requests (
    id  bigserial PRIMARY KEY,
    ip  text NOT NULL,
    at  timestamptz NOT NULL
);
CREATE INDEX password_reset_requests_ip_idx ON password_reset_requests (ip, at);

-- Guest orders are claimed by the verified account of their email.
CREATE INDEX order_groups_guest_email_idx ON order_groups (buyer_email) WHERE buyer_user_id IS NULL;

-- +goose Down
DROP INDEX order_groups_guest_email_idx;
DROP TABLE password_reset_requests;
DROP INDEX password_resets_user_idx;
ALTER TABLE password_resets DROP COLUMN sent_to;
DROP TABLE email_verifications;
ALTER TABLE users DROP COLUMN email_verified_at;
