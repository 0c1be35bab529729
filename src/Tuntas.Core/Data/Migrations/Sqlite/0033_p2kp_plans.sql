-- P2KP planning with the community (docs/p2kp.md): a BKM's PJM Pronangkis (3 years) and Renta (one year) plans, their
-- activities per pillar (EKONOMI/UPK, SOSIAL/UPS, LINGKUNGAN/UPL), each activity's budget by source with its
-- realisation, and the CSR commitment (collaboration) that funds an activity, if any — one activity per commitment.
-- Works (UPL) have a location for the map and the value of the community's contribution in kind (labour, materials);
-- its cash contribution is the SWADAYA budget line.
CREATE TABLE p2kp_plans (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    bkm_id      INTEGER NOT NULL REFERENCES p2kp_bkm (id),
    kind        TEXT NOT NULL,
    year_from   INTEGER NOT NULL,
    year_to     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_p2kp_plans_bkm_kind_year ON p2kp_plans (bkm_id, kind, year_from);

CREATE TABLE p2kp_activities (
    id             INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    plan_id        INTEGER NOT NULL REFERENCES p2kp_plans (id),
    pillar         TEXT NOT NULL,
    name           TEXT NOT NULL,
    commitment_id  INTEGER NULL REFERENCES commitments (id),
    latitude       REAL NULL,
    longitude      REAL NULL,
    swadaya_in_kind INTEGER NOT NULL DEFAULT 0,
    updated_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX ix_p2kp_activities_plan ON p2kp_activities (plan_id);
CREATE UNIQUE INDEX ux_p2kp_activities_commitment ON p2kp_activities (commitment_id) WHERE commitment_id IS NOT NULL;

CREATE TABLE p2kp_activity_budgets (
    activity_id INTEGER NOT NULL REFERENCES p2kp_activities (id),
    source      TEXT NOT NULL,
    planned     INTEGER NOT NULL,
    realised    INTEGER NOT NULL,
    PRIMARY KEY (activity_id, source)
);
