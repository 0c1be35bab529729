-- Assistance programs: catalogue, yearly budgets, enrollments with their history, disbursements.
CREATE TABLE programs (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    owner_kind      TEXT NOT NULL,
    owner_name      TEXT NOT NULL,
    funding_source  TEXT NOT NULL,
    target_unit     TEXT NOT NULL,
    benefit_kind    TEXT NOT NULL,
    amount          INTEGER NULL,
    period          TEXT NOT NULL,
    quota           INTEGER NULL,
    amount_verified INTEGER NOT NULL DEFAULT 0,
    source_note     TEXT NULL,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_programs_code ON programs (code);

CREATE TABLE program_budgets (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    year       INTEGER NOT NULL,
    amount     INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_program_budgets ON program_budgets (program_id, year);

CREATE TABLE enrollments (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    program_id    INTEGER NOT NULL REFERENCES programs (id),
    family_id     INTEGER NOT NULL REFERENCES families (id),
    person_id     INTEGER NULL REFERENCES persons (id),
    status        TEXT NOT NULL,
    started_on    TEXT NOT NULL,
    ended_on      TEXT NULL,
    exit_reason   TEXT NULL,
    import_job_id INTEGER NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
-- One open enrollment per program and recipient (family, or person for person programs); exited ones stay as history.
CREATE UNIQUE INDEX ux_enrollments_open ON enrollments (program_id, family_id, COALESCE(person_id, 0)) WHERE status <> 'keluar';
CREATE INDEX ix_enrollments_family_id ON enrollments (family_id);
CREATE INDEX ix_enrollments_program_id ON enrollments (program_id, status);

CREATE TABLE enrollment_events (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
    status        TEXT NOT NULL,
    reason        TEXT NULL,
    effective_on  TEXT NOT NULL,
    note          TEXT NULL,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX ix_enrollment_events_enrollment_id ON enrollment_events (enrollment_id);

CREATE TABLE disbursements (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
    period        TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    paid_on       TEXT NULL,
    channel       TEXT NULL,
    import_job_id INTEGER NULL,
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_disbursements_enrollment_period ON disbursements (enrollment_id, period);
