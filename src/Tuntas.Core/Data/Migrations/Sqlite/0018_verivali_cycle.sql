-- The verivali cycle (docs/verivali.md): a period opened by the regency, per-village worklist lines with their reasons,
-- the visit, the operator's review, the musdes decision per line and its application through the registry writer.
CREATE TABLE verivali_periods (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    opened_by  TEXT NOT NULL,
    opened_at  TEXT NOT NULL,
    closed_by  TEXT NULL,
    closed_at  TEXT NULL
);
CREATE TABLE verivali_lines (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    period_id      INTEGER NOT NULL REFERENCES verivali_periods (id),
    kode_desa      TEXT NOT NULL,
    family_id      INTEGER NULL REFERENCES families (id),
    reasons        TEXT NOT NULL,
    assigned_to    TEXT NULL,
    status         TEXT NOT NULL,
    outcome        TEXT NULL,
    changes        TEXT NULL,
    note           TEXT NULL,
    visited_by     TEXT NULL,
    visited_at     TEXT NULL,
    family_version INTEGER NULL,
    reviewed_by    TEXT NULL,
    reviewed_at    TEXT NULL,
    decision       TEXT NULL,
    decided_by     TEXT NULL,
    decided_at     TEXT NULL,
    applied_at     TEXT NULL,
    apply_result   TEXT NULL
);
CREATE INDEX ix_verivali_lines_period_desa ON verivali_lines (period_id, kode_desa);
CREATE INDEX ix_verivali_lines_assigned ON verivali_lines (assigned_to);
CREATE TABLE verivali_musdes (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    period_id   INTEGER NOT NULL REFERENCES verivali_periods (id),
    kode_desa   TEXT NOT NULL,
    held_on     TEXT NOT NULL,
    scan_path   TEXT NULL,
    closed_by   TEXT NULL,
    closed_at   TEXT NULL
);
CREATE UNIQUE INDEX ux_verivali_musdes ON verivali_musdes (period_id, kode_desa);
