-- Complaints and change requests: tickets followed publicly, routed to a village or an agency with an
-- SLA due date, their steps, attachments stored outside the web root, and data change requests for the village operator.
CREATE TABLE complaints (
    id                  INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    ticket              TEXT NOT NULL,
    category            TEXT NOT NULL,
    channel             TEXT NOT NULL,
    status              TEXT NOT NULL,
    kode_desa           TEXT NULL,
    complainant_name    TEXT NOT NULL,
    complainant_contact TEXT NULL,
    complainant_nik     TEXT NULL,
    family_id           INTEGER NULL,
    description         TEXT NOT NULL,
    handler_kind        TEXT NOT NULL,
    handler_code        TEXT NOT NULL,
    due_at              TEXT NOT NULL,
    escalated_at        TEXT NULL,
    resolved_at         TEXT NULL,
    resolution          TEXT NULL,
    created_by          TEXT NOT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_complaints_ticket ON complaints (ticket);
CREATE INDEX ix_complaints_kode_desa ON complaints (kode_desa);
CREATE INDEX ix_complaints_status_due ON complaints (status, due_at);

CREATE TABLE complaint_events (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    status_from  TEXT NULL,
    status_to    TEXT NOT NULL,
    note         TEXT NULL,
    is_public    INTEGER NOT NULL
);
CREATE INDEX ix_complaint_events_complaint ON complaint_events (complaint_id);

CREATE TABLE complaint_attachments (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha_256      TEXT NOT NULL,
    stored_name  TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX ix_complaint_attachments_complaint ON complaint_attachments (complaint_id);

CREATE TABLE change_requests (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    complaint_id  INTEGER NULL REFERENCES complaints (id),
    family_id     INTEGER NULL,
    kode_desa     TEXT NOT NULL,
    source        TEXT NOT NULL,
    description   TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    decided_by    TEXT NULL,
    decided_at    TEXT NULL,
    decision_note TEXT NULL
);
CREATE INDEX ix_change_requests_kode_desa ON change_requests (kode_desa, status);
CREATE INDEX ix_change_requests_complaint ON change_requests (complaint_id);
