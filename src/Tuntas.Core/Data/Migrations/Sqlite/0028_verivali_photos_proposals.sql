-- Verivali (docs/verivali.md): photos taken at a visit from the back office or the API (JPEG/PNG, kept in the
-- attachment store like complaint evidence), and the proposed family of an *usulan baru* line (NO_KK, family
-- fields and members as JSON) so the berita acara and the ministry proposal can name it.
CREATE TABLE verivali_line_photos (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    line_id      INTEGER NOT NULL REFERENCES verivali_lines (id),
    file_name    TEXT NOT NULL,
    stored_name  TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha_256      TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX ix_verivali_line_photos_line ON verivali_line_photos (line_id);
ALTER TABLE verivali_lines ADD COLUMN proposal TEXT NULL;
