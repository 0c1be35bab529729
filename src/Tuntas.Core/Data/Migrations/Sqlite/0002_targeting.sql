-- Targeting engine: scoring models and eligibility rules stored as versioned data, runs as snapshots
-- with per-family results and per-village counts.
CREATE TABLE targeting_models (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_targeting_models_code_version ON targeting_models (code, version);

CREATE TABLE eligibility_rules (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    program_code TEXT NOT NULL,
    version      INTEGER NOT NULL,
    name         TEXT NOT NULL,
    definition   TEXT NOT NULL,
    active       INTEGER NOT NULL DEFAULT 1,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_eligibility_rules_program_version ON eligibility_rules (program_code, version);

CREATE TABLE targeting_runs (
    id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    as_of         TEXT NOT NULL,
    input_hash    TEXT NOT NULL,
    registry_hash TEXT NOT NULL,
    family_count  INTEGER NOT NULL,
    person_count  INTEGER NOT NULL,
    decile_model  TEXT NOT NULL,
    inputs        TEXT NOT NULL,
    summary       TEXT NOT NULL,
    duration_ms   INTEGER NOT NULL
);

-- No foreign key on run_id: a foreign key fires one check per row, and a run writes a million rows in the same
-- transaction as its targeting_runs row (measured: PostgreSQL COPY of 1 M results 6.9 s with it; docs/benchmarks.md).
-- Runs are never deleted, so the reference cannot dangle.
CREATE TABLE targeting_results (
    run_id                   INTEGER NOT NULL,
    family_id                INTEGER NOT NULL,
    kode_desa                TEXT NOT NULL,
    skor_pmt                 REAL NULL,
    skor_indeks              REAL NULL,
    kelas_indeks             INTEGER NULL,
    kriteria_bps             INTEGER NULL,
    kriteria_tidak_diketahui INTEGER NULL,
    kriteria_mask            INTEGER NULL,
    kriteria_unknown_mask    INTEGER NULL,
    miskin_bps               INTEGER NULL,
    desil                    INTEGER NULL,
    program_eligible         TEXT NOT NULL,
    program_undetermined     TEXT NOT NULL,
    data_hash                INTEGER NOT NULL,
    PRIMARY KEY (run_id, family_id)
) WITHOUT ROWID;

CREATE TABLE targeting_run_counts (
    run_id    INTEGER NOT NULL,
    kode_desa TEXT NOT NULL,
    measure   TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (run_id, kode_desa, measure)
);
