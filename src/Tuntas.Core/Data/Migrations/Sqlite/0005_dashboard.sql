-- Dashboard: per-village indicators pre-aggregated from the registry, the latest targeting run and open
-- enrollments, so that no page view scans the registry. Rebuilt in one transaction by RefreshVillageIndicators when
-- the data's change marker (dashboard_state.marker) differs from the current one.
CREATE TABLE village_indicators (
    kode_desa TEXT NOT NULL,
    measure   TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (kode_desa, measure)
);

CREATE TABLE dashboard_state (
    id           INTEGER NOT NULL PRIMARY KEY,
    marker       TEXT NOT NULL,
    run_id       INTEGER NULL,
    refreshed_at TEXT NOT NULL
);
