-- Collaboration of the helixes: stakeholders with their contact persons over time (handover), village
-- needs, and the commitments stakeholders pledge against them with every step and its evidence.
CREATE TABLE stakeholders (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    helix      TEXT NOT NULL,
    resources  TEXT NOT NULL,
    role       TEXT NULL,
    kode_desa  TEXT NULL,
    active     INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ix_stakeholders_name ON stakeholders (name);

CREATE TABLE stakeholder_contacts (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    stakeholder_id INTEGER NOT NULL REFERENCES stakeholders (id),
    name           TEXT NOT NULL,
    position       TEXT NULL,
    phone          TEXT NULL,
    email          TEXT NULL,
    "from"         TEXT NOT NULL,
    until          TEXT NULL,
    handover_note  TEXT NULL
);
CREATE INDEX ix_stakeholder_contacts_stakeholder ON stakeholder_contacts (stakeholder_id);

CREATE TABLE needs (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode_desa      TEXT NOT NULL,
    family_id      INTEGER NULL,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT NULL,
    estimated_cost INTEGER NOT NULL,
    source         TEXT NOT NULL,
    status         TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX ix_needs_kode_desa ON needs (kode_desa, status);

CREATE TABLE commitments (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    need_id         INTEGER NOT NULL REFERENCES needs (id),
    stakeholder_id  INTEGER NOT NULL REFERENCES stakeholders (id),
    contact_id      INTEGER NULL,
    kind            TEXT NOT NULL,
    pledged_amount  INTEGER NOT NULL,
    realized_amount INTEGER NULL,
    status          TEXT NOT NULL,
    note            TEXT NULL,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ix_commitments_need ON commitments (need_id);
CREATE INDEX ix_commitments_stakeholder ON commitments (stakeholder_id);

CREATE TABLE commitment_events (
    id                    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    commitment_id         INTEGER NOT NULL REFERENCES commitments (id),
    at                    TEXT NOT NULL,
    actor                 TEXT NOT NULL,
    status_from           TEXT NULL,
    status_to             TEXT NOT NULL,
    note                  TEXT NULL,
    evidence_name         TEXT NULL,
    evidence_stored_name  TEXT NULL,
    evidence_content_type TEXT NULL
);
CREATE INDEX ix_commitment_events_commitment ON commitment_events (commitment_id);
