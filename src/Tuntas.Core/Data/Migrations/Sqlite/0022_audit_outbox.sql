-- A change made by a web request leaves its record here in the same transaction as the change itself; the chained
-- audit entry replaces it before the answer leaves. A process killed between the change's commit and the entry's
-- finds the record at its next start and chains it then (UU PDP 27/2022: accountable processing; OWASP ASVS 7.1.3).
CREATE TABLE audit_outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id   TEXT NOT NULL,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    actor_role   TEXT NULL,
    origin       TEXT NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NULL,
    subject_id   TEXT NULL,
    detail       TEXT NULL
);
CREATE INDEX ix_audit_outbox_request ON audit_outbox (request_id);
