-- Village poverty lab: the regency's status thresholds (each change a new row), every village's status
-- changes with graduations out of "merah", and village targets.
CREATE TABLE village_status_thresholds (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    indicator  TEXT NOT NULL,
    merah      REAL NOT NULL,
    kuning     REAL NOT NULL,
    hijau      REAL NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE village_status_history (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode_desa       TEXT NOT NULL,
    status          TEXT NOT NULL,
    previous_status TEXT NULL,
    share           REAL NOT NULL,
    poor_families   INTEGER NOT NULL,
    families        INTEGER NOT NULL,
    graduated       INTEGER NOT NULL,
    at              TEXT NOT NULL
);
CREATE INDEX ix_village_status_history_kode_desa ON village_status_history (kode_desa);

CREATE TABLE village_targets (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode_desa  TEXT NOT NULL,
    baseline   INTEGER NOT NULL,
    target     INTEGER NOT NULL,
    by_year    INTEGER NOT NULL,
    note       TEXT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_village_targets_kode_desa ON village_targets (kode_desa);
