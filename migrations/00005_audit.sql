-- +goose Up
-- Who did what to which resource, on whose behalf, with what outcome.
-- Reads of sensitive case fields are logged here too.
CREATE TABLE audit_log (
    id            bigserial PRIMARY KEY,
    at            timestamptz NOT NULL DEFAULT now(),
    actor_id      uuid,
    on_behalf_of  uuid,
    action        text NOT NULL,
    resource_kind text NOT NULL,
    resource_id   text NOT NULL,
    outcome       text NOT NULL CHECK (outcome IN ('ok', 'denied')),
    request_id    text NOT NULL DEFAULT '',
    detail        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_kind, resource_id, at DESC);

-- Append-only tables refuse every change but INSERT, whoever asks.
-- +goose StatementBegin
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER consents_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON consents
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, consents, case_events FROM PUBLIC, CURRENT_USER;

-- +goose Down
DROP TABLE audit_log;
DROP TRIGGER consents_append_only ON consents;
DROP TRIGGER case_events_append_only ON case_events;
DROP FUNCTION refuse_change();
