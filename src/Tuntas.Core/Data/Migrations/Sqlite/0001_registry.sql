-- Registry foundation: regions, families, persons, change history, import jobs, users, API clients.
-- SQLite: integers for booleans, TEXT for dates (ISO 8601, as EF Core writes them), REAL for areas.
CREATE TABLE regions (
    code        TEXT NOT NULL PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT NULL
);
CREATE INDEX ix_regions_parent_code ON regions (parent_code);

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
    status_bangunan        INTEGER NOT NULL,
    luas_lantai            REAL NOT NULL,
    jenis_lantai           INTEGER NOT NULL,
    jenis_dinding          INTEGER NOT NULL,
    jenis_atap             INTEGER NOT NULL,
    sumber_air_minum       INTEGER NOT NULL,
    sumber_penerangan      INTEGER NOT NULL,
    daya_listrik           INTEGER NULL,
    bahan_bakar_masak      INTEGER NOT NULL,
    fasilitas_bab          INTEGER NOT NULL,
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
    updated_at             TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_families_no_kk ON families (no_kk);
CREATE INDEX ix_families_kode_desa ON families (kode_desa);

CREATE TABLE persons (
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
    updated_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_persons_nik ON persons (nik);
CREATE INDEX ix_persons_family_id ON persons (family_id);
CREATE INDEX ix_persons_nama_kunci ON persons (nama_kunci);

CREATE TABLE family_changes (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    family_id     INTEGER NOT NULL REFERENCES families (id),
    person_id     INTEGER NULL,
    field         TEXT NOT NULL,
    old_value     TEXT NULL,
    new_value     TEXT NULL,
    changed_at    TEXT NOT NULL,
    changed_by    TEXT NOT NULL,
    source_file   TEXT NULL,
    import_job_id INTEGER NULL
);
CREATE INDEX ix_family_changes_family_id ON family_changes (family_id);

CREATE TABLE import_jobs (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    sha_256       TEXT NULL,
    dry_run       INTEGER NOT NULL,
    status        TEXT NOT NULL,
    phase         TEXT NULL,
    rows_done     INTEGER NOT NULL DEFAULT 0,
    rows_total    INTEGER NULL,
    error_count   INTEGER NOT NULL DEFAULT 0,
    warning_count INTEGER NOT NULL DEFAULT 0,
    report_json   TEXT NULL,
    stored_path   TEXT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    finished_at   TEXT NULL
);

CREATE TABLE users (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_name       TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL,
    role            TEXT NOT NULL,
    region_code     TEXT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT NULL,
    created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_users_user_name ON users (user_name);

CREATE TABLE api_clients (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    key_hash   TEXT NOT NULL,
    role       TEXT NOT NULL,
    disabled   INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_api_clients_key_hash ON api_clients (key_hash);
