-- +goose Up
-- Graduation (Permensos 15/2025 Pasal 34): a PM's SKA service ends once they
-- earn the minimum wage on their own, and/or on a social worker's periodic
-- evaluation. The monthly close raises graduation_due; a caseworker answers
-- it with a review, either "continue" (done at once) or "graduate" (proposed,
-- until a supervisor who did not propose it approves, which closes the case,
-- or rejects it). Nothing closes a case by itself.
CREATE TABLE case_graduations (
    id            bigserial PRIMARY KEY,
    case_id       uuid NOT NULL REFERENCES cases (id),
    decision      text NOT NULL CHECK (decision IN ('continue', 'graduate')),
    status        text NOT NULL CHECK (status IN ('assessed', 'proposed', 'approved', 'rejected')),
    streak_months int NOT NULL CHECK (streak_months >= 0), -- months at the minimum wage when reviewed
    reviewed_by   uuid NOT NULL REFERENCES users (id),
    reviewed_at   timestamptz NOT NULL,
    decided_by    uuid REFERENCES users (id),
    decided_at    timestamptz,
    reason_enc    bytea, -- why a proposal was rejected, sealed like other notes
    CHECK ((decision = 'continue') = (status = 'assessed')),
    CHECK ((status IN ('approved', 'rejected')) = (decided_by IS NOT NULL AND decided_at IS NOT NULL)),
    -- Maker-checker: whoever proposed a graduation never decides it.
    CHECK (decided_by IS NULL OR decided_by <> reviewed_by)
);
CREATE UNIQUE INDEX case_graduations_proposed_key ON case_graduations (case_id) WHERE status = 'proposed';
CREATE INDEX case_graduations_case_idx ON case_graduations (case_id, id DESC);

-- +goose Down
DROP TABLE case_graduations;
