-- Record linkage (docs/linkage.md): a reviewer's decision on a suspected duplicate pair of persons — "berbeda"
-- (different persons: never proposed again) or "sama" (merged) — and each merge with what is needed to undo it.
CREATE TABLE duplicate_decisions (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    first_person_id     INTEGER NOT NULL,
    second_person_id     INTEGER NOT NULL,
    nik_a           TEXT NOT NULL,
    nik_b           TEXT NOT NULL,
    decision        TEXT NOT NULL,
    score           REAL NULL,
    note            TEXT NULL,
    merge_id        INTEGER NULL,
    decided_by      TEXT NOT NULL,
    decided_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_duplicate_decisions_pair ON duplicate_decisions (first_person_id, second_person_id);

CREATE TABLE person_merges (
    id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kept_person_id     INTEGER NOT NULL REFERENCES persons (id),
    kept_family_id     INTEGER NOT NULL,
    removed_person_id  INTEGER NOT NULL,
    removed_family_id  INTEGER NOT NULL,
    removed_nik        TEXT NOT NULL,
    removed_person     TEXT NOT NULL,
    kept_before        TEXT NOT NULL,
    enrollments        TEXT NOT NULL,
    merged_by          TEXT NOT NULL,
    merged_at          TEXT NOT NULL,
    undone_by          TEXT NULL,
    undone_at          TEXT NULL
);
CREATE INDEX ix_person_merges_kept ON person_merges (kept_person_id);
