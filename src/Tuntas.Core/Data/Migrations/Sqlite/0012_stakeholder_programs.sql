-- Each stakeholder's role in each program (the seeds' "unclear roles"): who owns, funds, implements,
-- accompanies, distributes or monitors which program, from when until when. Ended, never deleted.
CREATE TABLE stakeholder_programs (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    stakeholder_id INTEGER NOT NULL REFERENCES stakeholders (id),
    program_id     INTEGER NOT NULL REFERENCES programs (id),
    role           TEXT NOT NULL,
    note           TEXT NULL,
    "from"         TEXT NOT NULL,
    until          TEXT NULL,
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    ended_by       TEXT NULL
);
CREATE INDEX ix_stakeholder_programs_stakeholder ON stakeholder_programs (stakeholder_id);
CREATE INDEX ix_stakeholder_programs_program ON stakeholder_programs (program_id);
