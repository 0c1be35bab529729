-- Audit trail (UU PDP 27/2022 Pasal 31 accountability): append-only, each entry chained by hash to the one
-- before it, so an edited or deleted entry is detected by `tuntas audit verify`.
CREATE TABLE audit_log (
    id           bigint NOT NULL PRIMARY KEY,
    at           timestamp with time zone NOT NULL,
    actor        text NOT NULL,
    actor_role   text NULL,
    origin       text NULL,
    action       text NOT NULL,
    subject_type text NULL,
    subject_id   text NULL,
    detail       text NULL,
    prev_hash    text NOT NULL,
    hash         text NOT NULL
);
CREATE INDEX ix_audit_log_subject ON audit_log (subject_type, subject_id);
CREATE INDEX ix_audit_log_actor ON audit_log (actor);

-- Secrets of this installation (e.g. the key that hashes NIKs in logs), created on first use, never shown.
CREATE TABLE install_secrets (
    name  text NOT NULL PRIMARY KEY,
    value text NOT NULL
);
