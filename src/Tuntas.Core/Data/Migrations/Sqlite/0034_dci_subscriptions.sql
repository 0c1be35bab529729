-- DCI subscriptions and notify (docs/dci.md): a client's subscription to family changes (registry_core_api_v1.0.0:
-- subscribe / unsubscribe / notify), the notifications queued from the registry's change history (family_changes) for
-- each subscription and their delivery state, and the public key an API client signs its messages with.
CREATE TABLE dci_subscriptions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    api_client_id    INTEGER NOT NULL REFERENCES api_clients (id),
    code             TEXT NOT NULL,
    transaction_id   TEXT NOT NULL,
    reference_id     TEXT NOT NULL,
    event_type       TEXT NOT NULL,
    criteria_json    TEXT NOT NULL,
    notify_url       TEXT NOT NULL,
    state            TEXT NOT NULL,
    cursor_change_id INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    ended_at         TEXT NULL
);
CREATE UNIQUE INDEX ux_dci_subscriptions_code ON dci_subscriptions (code);
CREATE INDEX ix_dci_subscriptions_client ON dci_subscriptions (api_client_id, state);

CREATE TABLE dci_notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subscription_id INTEGER NOT NULL REFERENCES dci_subscriptions (id),
    family_id       INTEGER NOT NULL,
    change_id       INTEGER NOT NULL,
    event_type      TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NULL,
    created_at      TEXT NOT NULL,
    delivered_at    TEXT NULL
);
CREATE INDEX ix_dci_notifications_due ON dci_notifications (subscription_id, state, id);

CREATE TABLE dci_client_keys (
    api_client_id INTEGER NOT NULL PRIMARY KEY REFERENCES api_clients (id),
    key_id        TEXT NOT NULL,
    algorithm     TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
