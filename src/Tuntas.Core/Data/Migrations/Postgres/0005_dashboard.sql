-- Dashboard: per-village indicators pre-aggregated from the registry, the latest targeting run and open
-- enrollments, so that no page view scans the registry. Rebuilt in one transaction by RefreshVillageIndicators when
-- the data's change marker (dashboard_state.marker) differs from the current one.
CREATE TABLE village_indicators (
    kode_desa text NOT NULL,
    measure   text NOT NULL,
    value     bigint NOT NULL,
    PRIMARY KEY (kode_desa, measure)
);

CREATE TABLE dashboard_state (
    id           integer NOT NULL PRIMARY KEY,
    marker       text NOT NULL,
    run_id       bigint NULL,
    refreshed_at timestamp with time zone NOT NULL
);
