-- +goose Up
-- Units are the ministry's Balai and the LKS (social-welfare institutions)
-- in a Balai's network. Codes are Kemendagri/BPS: 2-digit province,
-- 4-digit regency starting with its province.
CREATE TABLE units (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('balai', 'lks')),
    name          text NOT NULL CHECK (length(name) BETWEEN 3 AND 200),
    province_code text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    regency_code  text NOT NULL CHECK (regency_code ~ '^[0-9]{4}$' AND left(regency_code, 2) = province_code),
    parent_id     uuid REFERENCES units (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Only an LKS belongs to a network, and only a Balai's.
    CHECK (kind = 'lks' OR parent_id IS NULL)
);
CREATE INDEX units_parent_idx ON units (parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    email         text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role          text NOT NULL CHECK (role IN ('admin', 'staff', 'supervisor', 'lks_manager', 'pendamping', 'seller', 'buyer')),
    unit_id       uuid REFERENCES units (id),
    password_hash text NOT NULL,
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- Staff-like roles work for a unit; admins and buyers never do.
    CHECK (role NOT IN ('staff', 'supervisor', 'lks_manager') OR unit_id IS NOT NULL),
    CHECK (role NOT IN ('admin', 'buyer') OR unit_id IS NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_unit_idx ON users (unit_id, role);

-- A session is a bearer token; only its SHA-256 is stored, so a database
-- leak gives nobody a way in.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    idle_until   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expiry_idx ON sessions (expires_at);

-- Failed logins, kept in the database so throttling holds across instances
-- and restarts. key is 'email:<address>' or 'ip:<address>'.
CREATE TABLE login_failures (
    id  bigserial PRIMARY KEY,
    key text NOT NULL,
    at  timestamptz NOT NULL
);
CREATE INDEX login_failures_key_idx ON login_failures (key, at);

-- One-time password reset links that staff hand to a seller (many have no email).
CREATE TABLE password_resets (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

-- +goose Down
DROP TABLE password_resets;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE units;
