-- +goose Up
-- The outbox: a message is written in the transaction of the change it
-- tells about, so it is never lost; the sender marks it sent, so it is not
-- sent again. Without SMTP configured, messages are kept here to be read.
CREATE TABLE notifications (
    id          bigserial PRIMARY KEY,
    to_email    text NOT NULL,
    subject     text NOT NULL,
    body        text NOT NULL,
    kind        text NOT NULL,
    ref         text NOT NULL,
    status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'kept', 'failed')),
    attempts    int NOT NULL DEFAULT 0,
    last_error  text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL,
    sent_at     timestamptz,
    UNIQUE (kind, ref, to_email)
);
CREATE INDEX notifications_pending_idx ON notifications (id) WHERE status = 'pending';

-- +goose Down
DROP TABLE notifications;
