-- Meetings: rapat koordinasi TKPKD, musyawarah desa, Forum CSR — invitees and attendance, minutes,
-- decisions, action items with owner and due date; and the weeks whose follow-up digest was sent.
CREATE TABLE meetings (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    held_at    TEXT NOT NULL,
    kode_desa  TEXT NULL,
    agenda     TEXT NULL,
    minutes    TEXT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_meetings_held_at ON meetings (held_at);

CREATE TABLE meeting_invitees (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    meeting_id     INTEGER NOT NULL REFERENCES meetings (id),
    stakeholder_id INTEGER NOT NULL REFERENCES stakeholders (id),
    attended       INTEGER NULL,
    note           TEXT NULL
);
CREATE UNIQUE INDEX ux_meeting_invitees ON meeting_invitees (meeting_id, stakeholder_id);

CREATE TABLE meeting_decisions (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    text       TEXT NOT NULL
);
CREATE INDEX ix_meeting_decisions_meeting ON meeting_decisions (meeting_id);

CREATE TABLE action_items (
    id                   INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    meeting_id           INTEGER NOT NULL REFERENCES meetings (id),
    text                 TEXT NOT NULL,
    owner_stakeholder_id INTEGER NOT NULL REFERENCES stakeholders (id),
    owner_contact_id     INTEGER NULL,
    due_on               TEXT NOT NULL,
    status               TEXT NOT NULL,
    done_on              TEXT NULL,
    note                 TEXT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX ix_action_items_owner ON action_items (owner_stakeholder_id, status);
CREATE INDEX ix_action_items_meeting ON action_items (meeting_id);

CREATE TABLE digest_runs (
    id      INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    week    TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_digest_runs_week ON digest_runs (week);
