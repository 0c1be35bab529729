-- DCI asynchronous transactions (docs/dci.md): a search received on /registry/search waits here for the worker, which
-- answers it and calls the client back on its on-search endpoint until the call succeeds (at least once, with back-off).
-- The request and the answer are kept only until delivered; the row then keeps statuses and counts for txn/status.
CREATE TABLE dci_transactions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    api_client_id   INTEGER NOT NULL REFERENCES api_clients (id),
    kind            TEXT NOT NULL,
    transaction_id  TEXT NOT NULL,
    correlation_id  TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    callback_url    TEXT NOT NULL,
    request_json    TEXT NULL,
    response_json   TEXT NULL,
    state           TEXT NOT NULL,
    status          TEXT NULL,
    status_json     TEXT NULL,
    summary         TEXT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NULL,
    created_at      TEXT NOT NULL,
    answered_at     TEXT NULL,
    delivered_at    TEXT NULL
);
CREATE INDEX ix_dci_transactions_due ON dci_transactions (state, next_attempt_at);
CREATE INDEX ix_dci_transactions_client ON dci_transactions (api_client_id, transaction_id);
