-- +goose Up
-- The case record beyond identity and outcomes: assessment notes (sealed,
-- every read audited) and the guardian of a child or of a PM who needs one
-- (name and phone sealed). Both append-only: the newest guardian row is the
-- guardian now, the older ones are the history.
CREATE TABLE case_assessments (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    assessed_on date NOT NULL,
    note_enc    bytea NOT NULL,
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX case_assessments_case_idx ON case_assessments (case_id, assessed_on DESC);

CREATE TABLE case_guardians (
    id          bigserial PRIMARY KEY,
    case_id     uuid NOT NULL REFERENCES cases (id),
    relation    text NOT NULL CHECK (relation IN ('parent', 'sibling', 'relative', 'lks', 'other')),
    name_enc    bytea NOT NULL,
    phone_enc   bytea,
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX case_guardians_case_idx ON case_guardians (case_id, id DESC);

-- +goose Down
DROP TABLE case_guardians;
DROP TABLE case_assessments;
