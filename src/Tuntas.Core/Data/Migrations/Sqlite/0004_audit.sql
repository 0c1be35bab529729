-- Audit trail (UU PDP 27/2022 Pasal 31 accountability): append-only, each entry chained by hash to the one
-- before it, so an edited or deleted entry is detected by `tuntas audit verify`.
CREATE TABLE audit_log (
    id           INTEGER NOT NULL PRIMARY KEY,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NULL,
    origin       TEXT NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NULL,
    subject_id   TEXT NULL,
    detail       TEXT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX ix_audit_log_subject ON audit_log (subject_type, subject_id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor);

-- Secrets of this installation (e.g. the key that hashes NIKs in logs), created on first use, never shown.
CREATE TABLE install_secrets (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
