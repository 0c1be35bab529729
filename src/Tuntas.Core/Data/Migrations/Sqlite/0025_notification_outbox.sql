-- Every message to a citizen or a stakeholder is written here first, then delivered by the background worker with
-- retries (docs/notifications.md). The contact is kept in clear only while the message may still be sent; a sent or
-- abandoned message keeps it masked (UU PDP 27/2022 art. 16: data kept no longer than its purpose needs).
CREATE TABLE notification_outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at      TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    channel         TEXT NOT NULL,
    contact         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text            TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    sent_at         TEXT NULL,
    last_error      TEXT NULL,
    provider_ref    TEXT NULL
);
CREATE INDEX ix_notification_outbox_due ON notification_outbox (status, next_attempt_at);
