-- Field data collection over OpenRosa (docs/field-collection.md): device tokens (stored hashed), the generated XForms
-- and their versions, the submissions as received (accepted or refused with reasons) and their photos.
CREATE TABLE device_tokens (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT NULL,
    revoked_by   TEXT NULL,
    revoked_at   TEXT NULL
);
CREATE UNIQUE INDEX ux_device_tokens_hash ON device_tokens (token_hash);
CREATE INDEX ix_device_tokens_user ON device_tokens (user_id);
CREATE TABLE field_forms (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    form_id      TEXT NOT NULL,
    version      INTEGER NOT NULL,
    hash         TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    xml          TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_field_forms_version ON field_forms (form_id, version);
CREATE TABLE field_submissions (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    instance_id     TEXT NOT NULL,
    form_id         TEXT NOT NULL,
    form_version    INTEGER NOT NULL,
    submitted_by    TEXT NOT NULL,
    device_token_id INTEGER NULL REFERENCES device_tokens (id),
    received_at     TEXT NOT NULL,
    status          TEXT NOT NULL,
    problems        TEXT NULL,
    line_id         INTEGER NULL REFERENCES verivali_lines (id),
    kode_desa       TEXT NULL,
    latitude        REAL NULL,
    longitude       REAL NULL,
    accuracy        REAL NULL,
    xml_hash        TEXT NOT NULL,
    xml             TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_field_submissions_instance ON field_submissions (instance_id);
CREATE INDEX ix_field_submissions_by ON field_submissions (submitted_by, received_at);
CREATE INDEX ix_field_submissions_line ON field_submissions (line_id);
CREATE TABLE field_submission_files (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES field_submissions (id),
    file_name     TEXT NOT NULL,
    stored_name   TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          INTEGER NOT NULL,
    sha_256       TEXT NOT NULL
);
CREATE INDEX ix_field_submission_files_submission ON field_submission_files (submission_id);
