-- migrator: foreign keys off
-- The name skeleton (0039) stored instead of virtual, and the redundant name-key index dropped. SQLite computed the
-- virtual columns on every insert already (the profile of a first load shows the replace chains during the inserts),
-- then again in each index build and each read: on a first load of 1,000,000 persons the two skeleton indexes cost
-- 5.2 s of a 23 s import, about 2.6 s of it the replace chains (docs/benchmarks.md, "Import"). Stored, the chain runs
-- once per insert and the search reads the value.
-- ix_persons_nama_kunci is a prefix of ix_persons_nama_kunci_tanggal_lahir (0029), which serves the same ranges.
-- SQLite cannot change a column from virtual to stored in place, so the table is rebuilt as its manual says
-- ("Making Other Kinds Of Table Schema Changes"): with foreign keys off for this script (the line above; enrollments
-- and person_merges point at persons), a new table filled from the old, the old dropped, the new renamed, the indexes
-- re-created, and PRAGMA foreign_key_check before the commit. The AUTOINCREMENT counter is carried over, so an id once
-- given is never given again.
CREATE TABLE persons_new (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    family_id       INTEGER NOT NULL REFERENCES families (id),
    nik             TEXT NOT NULL,
    nik_sementara   INTEGER NOT NULL DEFAULT 0,
    nama            TEXT NOT NULL,
    nama_kunci      TEXT NOT NULL,
    jenis_kelamin   INTEGER NOT NULL,
    tempat_lahir    TEXT NULL,
    tanggal_lahir   TEXT NOT NULL,
    hubungan_kk     INTEGER NOT NULL,
    status_kawin    INTEGER NOT NULL,
    pendidikan      INTEGER NOT NULL,
    status_sekolah  INTEGER NULL,
    bekerja         INTEGER NULL,
    pekerjaan       TEXT NULL,
    penghasilan     INTEGER NULL,
    disabilitas     INTEGER NOT NULL,
    penyakit_kronis INTEGER NULL,
    hamil           INTEGER NULL,
    row_hash        INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    status_hidup    INTEGER NOT NULL DEFAULT 1,
    status_tanggal  TEXT NULL,
    status_sumber   TEXT NULL,
    pindah_ke       TEXT NULL,
    nama_kerangka   TEXT GENERATED ALWAYS AS (
        replace(replace(replace(replace(replace(replace(replace(nama_kunci, 'a', ''), 'i', ''), 'u', ''), 'e', ''), 'o', ''), 'y', ''), 'j', '')) STORED,
    nama_kerangka_akhir TEXT GENERATED ALWAYS AS (
        substr(replace(replace(replace(replace(replace(replace(replace(nama_kunci, 'a', ''), 'i', ''), 'u', ''), 'e', ''), 'o', ''), 'y', ''), 'j', ''), -3)) STORED
);
INSERT INTO persons_new (id, family_id, nik, nik_sementara, nama, nama_kunci, jenis_kelamin, tempat_lahir, tanggal_lahir,
    hubungan_kk, status_kawin, pendidikan, status_sekolah, bekerja, pekerjaan, penghasilan, disabilitas, penyakit_kronis,
    hamil, row_hash, created_at, updated_at, status_hidup, status_tanggal, status_sumber, pindah_ke)
SELECT id, family_id, nik, nik_sementara, nama, nama_kunci, jenis_kelamin, tempat_lahir, tanggal_lahir,
    hubungan_kk, status_kawin, pendidikan, status_sekolah, bekerja, pekerjaan, penghasilan, disabilitas, penyakit_kronis,
    hamil, row_hash, created_at, updated_at, status_hidup, status_tanggal, status_sumber, pindah_ke
FROM persons ORDER BY id;
DELETE FROM sqlite_sequence WHERE name = 'persons_new';
INSERT INTO sqlite_sequence (name, seq) SELECT 'persons_new', seq FROM sqlite_sequence WHERE name = 'persons';
DROP TABLE persons;
ALTER TABLE persons_new RENAME TO persons;
CREATE UNIQUE INDEX ux_persons_nik ON persons (nik);
CREATE INDEX ix_persons_family_id ON persons (family_id);
CREATE INDEX ix_persons_not_living ON persons (family_id) WHERE status_hidup <> 1;
CREATE INDEX ix_persons_tanggal_lahir ON persons (tanggal_lahir);
CREATE INDEX ix_persons_nama_kunci_tanggal_lahir ON persons (nama_kunci, tanggal_lahir);
CREATE INDEX ix_persons_nama_kerangka ON persons (nama_kerangka);
CREATE INDEX ix_persons_nama_kerangka_akhir ON persons (nama_kerangka_akhir, nama_kerangka);
