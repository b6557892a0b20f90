-- +goose Up
-- The identity of a PM (beneficiary). Legal name and NIK are encrypted with
-- DATA_KEY (AES-GCM); each sealed value names its key, for rotation. nik_hash
-- is a keyed hash that finds duplicates without decrypting.
CREATE TABLE beneficiaries (
    id             uuid PRIMARY KEY,
    legal_name_enc bytea NOT NULL,
    nik_enc        bytea,
    nik_hash       bytea,
    birth_date     date NOT NULL,
    sex            text NOT NULL CHECK (sex IN ('male', 'female')),
    province_code  text NOT NULL CHECK (province_code ~ '^[0-9]{2}$'),
    regency_code   text NOT NULL CHECK (regency_code ~ '^[0-9]{4}$' AND left(regency_code, 2) = province_code),
    household_size int NOT NULL CHECK (household_size BETWEEN 1 AND 30),
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((nik_enc IS NULL) = (nik_hash IS NULL))
);
CREATE UNIQUE INDEX beneficiaries_nik_key ON beneficiaries (nik_hash) WHERE nik_hash IS NOT NULL;

CREATE SEQUENCE case_no_seq;

-- A case: one PM's rehabilitation record at one unit. The sensitivity tier
-- decides who may open it (DOMAIN.md, "Rules that protect the sellers").
CREATE TABLE cases (
    id                uuid PRIMARY KEY,
    case_no           text NOT NULL UNIQUE,
    beneficiary_id    uuid NOT NULL REFERENCES beneficiaries (id),
    unit_id           uuid NOT NULL REFERENCES units (id),
    cluster           text NOT NULL CHECK (cluster IN ('anak', 'disabilitas', 'lansia', 'napza', 'tuna_sosial_tppo')),
    pillar            text NOT NULL CHECK (pillar IN ('keluarga', 'komunitas', 'residensial')),
    sensitivity       text NOT NULL CHECK (sensitivity IN ('audited', 'protected', 'closed')),
    is_child          boolean NOT NULL,
    assigned_staff_id uuid REFERENCES users (id),
    opened_on         date NOT NULL,
    closed_on         date,
    created_by        uuid NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_unit_idx ON cases (unit_id);

-- Consent per purpose, append-only: a withdrawal is a new row.
CREATE TABLE consents (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    purpose     text NOT NULL CHECK (purpose IN ('case_management', 'marketplace_selling', 'data_bridge_to_case_record', 'aggregate_reporting', 'public_promotion')),
    action      text NOT NULL CHECK (action IN ('given', 'withdrawn')),
    given_by    text NOT NULL CHECK (given_by IN ('self', 'guardian')),
    method      text NOT NULL CHECK (method IN ('written', 'verbal', 'thumbprint', 'digital')),
    recorded_by uuid NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL
);
CREATE INDEX consents_case_idx ON consents (case_id, purpose, at);

-- The case timeline (CONTRACT.md "Case events"). Never a buyer's name,
-- email, phone or address in data.
CREATE TABLE case_events (
    id           bigserial PRIMARY KEY,
    case_id      uuid NOT NULL REFERENCES cases (id),
    type         text NOT NULL,
    occurred_at  timestamptz NOT NULL,
    actor_id     uuid REFERENCES users (id),
    on_behalf_of uuid REFERENCES cases (id),
    data         jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case_idx ON case_events (case_id, occurred_at DESC, id DESC);

-- A pendamping may act for the PM of a case, within scopes, until expiry.
CREATE TABLE delegations (
    id                uuid PRIMARY KEY,
    pendamping_id     uuid NOT NULL REFERENCES users (id),
    case_id           uuid NOT NULL REFERENCES cases (id),
    scopes            text[] NOT NULL CHECK (scopes <@ ARRAY['listings', 'orders', 'shipping', 'earnings']::text[] AND cardinality(scopes) > 0),
    expires_at        timestamptz NOT NULL,
    revoked_at        timestamptz,
    created_by        uuid NOT NULL REFERENCES users (id),
    created_at        timestamptz NOT NULL
);
CREATE INDEX delegations_pendamping_idx ON delegations (pendamping_id) WHERE revoked_at IS NULL;
CREATE INDEX delegations_case_idx ON delegations (case_id);

-- +goose Down
DROP TABLE delegations;
DROP TABLE case_events;
DROP TABLE consents;
DROP TABLE cases;
DROP SEQUENCE case_no_seq;
DROP TABLE beneficiaries;
