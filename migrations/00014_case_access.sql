-- +goose Up
-- Who may open a closed case (trafficking survivors, child victims) beyond
-- its assigned caseworker: staff a supervisor named for it, and staff who
-- broke the glass in an emergency, for an hour, with a reason that is
-- audited and sent to the unit's supervisors.
CREATE TABLE case_named_staff (
    case_id  uuid NOT NULL REFERENCES cases (id),
    user_id  uuid NOT NULL REFERENCES users (id),
    named_by uuid NOT NULL REFERENCES users (id),
    named_at timestamptz NOT NULL,
    PRIMARY KEY (case_id, user_id)
);

CREATE TABLE case_break_glass (
    id         uuid PRIMARY KEY,
    case_id    uuid NOT NULL REFERENCES cases (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    reason     text NOT NULL CHECK (length(btrim(reason)) >= 10),
    at         timestamptz NOT NULL,
    expires_at timestamptz NOT NULL CHECK (expires_at > at)
);
CREATE INDEX case_break_glass_open_idx ON case_break_glass (case_id, user_id, expires_at);

-- +goose Down
DROP TABLE case_break_glass;
DROP TABLE case_named_staff;
