-- P2KP works and social grants (docs/p2kp.md, "Works and social grants"): the registry families an activity (a UPL
-- work, a UPS activity) benefits, its progress (date, percent, note) with photos kept in the attachment store, and the
-- UPS's grants to registry families of the BKM's desa (cash or in kind, by source).
CREATE TABLE p2kp_activity_beneficiaries (
    activity_id INTEGER NOT NULL REFERENCES p2kp_activities (id),
    family_id   INTEGER NOT NULL REFERENCES families (id),
    added_by    TEXT NOT NULL,
    added_at    TEXT NOT NULL,
    PRIMARY KEY (activity_id, family_id)
);
CREATE INDEX ix_p2kp_activity_beneficiaries_family ON p2kp_activity_beneficiaries (family_id);

CREATE TABLE p2kp_activity_progress (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    activity_id INTEGER NOT NULL REFERENCES p2kp_activities (id),
    on_date     TEXT NOT NULL,
    percent     INTEGER NOT NULL,
    note        TEXT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ix_p2kp_activity_progress_activity ON p2kp_activity_progress (activity_id, on_date);

CREATE TABLE p2kp_progress_photos (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    progress_id  INTEGER NOT NULL REFERENCES p2kp_activity_progress (id),
    file_name    TEXT NOT NULL,
    stored_name  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha_256      TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX ix_p2kp_progress_photos_progress ON p2kp_progress_photos (progress_id);

CREATE TABLE p2kp_grants (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    bkm_id      INTEGER NOT NULL REFERENCES p2kp_bkm (id),
    family_id   INTEGER NOT NULL REFERENCES families (id),
    given_on    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    in_kind     TEXT NULL,
    source      TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ix_p2kp_grants_bkm ON p2kp_grants (bkm_id, given_on);
CREATE INDEX ix_p2kp_grants_family ON p2kp_grants (family_id);
