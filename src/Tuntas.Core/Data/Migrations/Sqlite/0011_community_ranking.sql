-- Participatory welfare ranking (DOMAIN §8.1): each family's class in the community's ranking per session,
-- compared with the PMT deciles for the village meeting (hybrid targeting).
CREATE TABLE community_rankings (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode_desa   TEXT NOT NULL,
    family_id   INTEGER NOT NULL,
    class       INTEGER NOT NULL,
    session     TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX ix_community_rankings_kode_desa ON community_rankings (kode_desa, session);
