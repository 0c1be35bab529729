-- P2KP pemetaan swadaya (docs/p2kp.md, "Planning with the community"): the community's own mapping of its families,
-- per RT and year, as miskin (1), hampir miskin (2) or tidak miskin (3); a family has one category per year.
CREATE TABLE p2kp_community_maps (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode_desa   TEXT NOT NULL,
    rt          TEXT NOT NULL,
    family_id   INTEGER NOT NULL REFERENCES families (id),
    year        INTEGER NOT NULL,
    category    INTEGER NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_p2kp_community_maps_family_year ON p2kp_community_maps (family_id, year);
CREATE INDEX ix_p2kp_community_maps_desa ON p2kp_community_maps (kode_desa, year, rt);
