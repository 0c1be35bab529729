-- Housing columns may be unknown (docs/import-profiles.md): a family imported from OpenSID's population data or a
-- DTKS list without the REGSOSEK 301a–309a answers is registered with those fields NULL ("unknown", never "no"), and a
-- later file that carries them fills them in. SQLite cannot drop NOT NULL in place: the table is rebuilt
-- (https://sqlite.org/lang_altertable.html#otheralter). The rows are copied aside, the table dropped and created again
-- under its own name, so the child tables' REFERENCES families stay as they are; the orphans the drop leaves for a
-- moment are deferred foreign-key violations that the re-inserted rows resolve before the commit
-- (https://sqlite.org/foreignkeys.html#fk_deferred).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE families_0019 AS SELECT * FROM families;
CREATE TABLE families_0019_seq AS SELECT seq FROM sqlite_sequence WHERE name = 'families';
DROP TABLE families;
CREATE TABLE families (
    id                     INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    no_kk                  TEXT NOT NULL,
    no_kk_sementara        INTEGER NOT NULL DEFAULT 0,
    kode_desa              TEXT NOT NULL REFERENCES regions (code),
    alamat                 TEXT NULL,
    rt                     TEXT NULL,
    rw                     TEXT NULL,
    lintang                REAL NULL,
    bujur                  REAL NULL,
    status_bangunan        INTEGER NULL,
    luas_lantai            REAL NULL,
    jenis_lantai           INTEGER NULL,
    jenis_dinding          INTEGER NULL,
    jenis_atap             INTEGER NULL,
    sumber_air_minum       INTEGER NULL,
    sumber_penerangan      INTEGER NULL,
    daya_listrik           INTEGER NULL,
    bahan_bakar_masak      INTEGER NULL,
    fasilitas_bab          INTEGER NULL,
    aset_kulkas            INTEGER NULL,
    aset_ac                INTEGER NULL,
    aset_tv                INTEGER NULL,
    aset_emas_10g          INTEGER NULL,
    aset_komputer          INTEGER NULL,
    aset_sepeda_motor      INTEGER NULL,
    aset_mobil             INTEGER NULL,
    aset_perahu_motor      INTEGER NULL,
    aset_smartphone        INTEGER NULL,
    aset_rekening          INTEGER NULL,
    luas_lahan             REAL NULL,
    ternak_sapi            INTEGER NULL,
    ternak_kambing         INTEGER NULL,
    ternak_unggas          INTEGER NULL,
    daging_per_minggu      INTEGER NULL,
    pakaian_per_tahun      INTEGER NULL,
    makan_per_hari         INTEGER NULL,
    mampu_berobat          INTEGER NULL,
    tabungan_500rb         INTEGER NULL,
    desil_nasional         INTEGER NULL,
    desil_nasional_tanggal TEXT NULL,
    pengeluaran_perkapita  INTEGER NULL,
    row_hash               INTEGER NOT NULL,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    version                INTEGER NOT NULL DEFAULT 1,
    verified_at            TEXT NULL
);
INSERT INTO families (id, no_kk, no_kk_sementara, kode_desa, alamat, rt, rw, lintang, bujur, status_bangunan, luas_lantai,
    jenis_lantai, jenis_dinding, jenis_atap, sumber_air_minum, sumber_penerangan, daya_listrik, bahan_bakar_masak,
    fasilitas_bab, aset_kulkas, aset_ac, aset_tv, aset_emas_10g, aset_komputer, aset_sepeda_motor, aset_mobil,
    aset_perahu_motor, aset_smartphone, aset_rekening, luas_lahan, ternak_sapi, ternak_kambing, ternak_unggas,
    daging_per_minggu, pakaian_per_tahun, makan_per_hari, mampu_berobat, tabungan_500rb, desil_nasional,
    desil_nasional_tanggal, pengeluaran_perkapita, row_hash, created_at, updated_at, version, verified_at)
SELECT id, no_kk, no_kk_sementara, kode_desa, alamat, rt, rw, lintang, bujur, status_bangunan, luas_lantai,
    jenis_lantai, jenis_dinding, jenis_atap, sumber_air_minum, sumber_penerangan, daya_listrik, bahan_bakar_masak,
    fasilitas_bab, aset_kulkas, aset_ac, aset_tv, aset_emas_10g, aset_komputer, aset_sepeda_motor, aset_mobil,
    aset_perahu_motor, aset_smartphone, aset_rekening, luas_lahan, ternak_sapi, ternak_kambing, ternak_unggas,
    daging_per_minggu, pakaian_per_tahun, makan_per_hari, mampu_berobat, tabungan_500rb, desil_nasional,
    desil_nasional_tanggal, pengeluaran_perkapita, row_hash, created_at, updated_at, version, verified_at
FROM families_0019;
-- Ids of deleted families are never reused: carry the AUTOINCREMENT high-water mark over.
UPDATE sqlite_sequence SET seq = MAX(seq, COALESCE((SELECT MAX(seq) FROM families_0019_seq), 0)) WHERE name = 'families';
INSERT INTO sqlite_sequence (name, seq) SELECT 'families', seq FROM families_0019_seq
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'families');
DROP TABLE families_0019;
DROP TABLE families_0019_seq;
CREATE UNIQUE INDEX ux_families_no_kk ON families (no_kk);
CREATE INDEX ix_families_kode_desa ON families (kode_desa);
-- The layout of an uploaded file (docs/import-profiles.md) and the village of an OpenSID file, chosen on the upload
-- form or through the API, kept with the queued job for the background worker.
ALTER TABLE import_jobs ADD COLUMN profile TEXT NULL;
ALTER TABLE import_jobs ADD COLUMN village TEXT NULL;
