-- Access beyond one region: a user's organization (the OPD whose programs an agency officer runs; the
-- company, university or NGO a partner works for), the villages a facilitator is assigned to, and the data-sharing
-- agreements under which a partner organization sees named villages or families until the agreement's end date
-- (UU PDP 27/2022 Pasal 20: processing needs a basis; the agreement is that record).
ALTER TABLE users ADD COLUMN organization TEXT NULL;

CREATE TABLE user_villages (
    user_id     INTEGER NOT NULL,
    kode_desa   TEXT NOT NULL,
    assigned_by TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kode_desa)
);

CREATE TABLE data_sharing_agreements (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    number       TEXT NOT NULL,
    organization TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT NULL,
    revoked_by   TEXT NULL,
    revoke_reason TEXT NULL
);
CREATE UNIQUE INDEX ix_data_sharing_agreements_number ON data_sharing_agreements (number);
CREATE INDEX ix_data_sharing_agreements_organization ON data_sharing_agreements (organization);

-- One row per shared village (kode_desa) or shared family (family_id); exactly one of the two is set.
CREATE TABLE data_sharing_items (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    agreement_id INTEGER NOT NULL REFERENCES data_sharing_agreements (id),
    kode_desa    TEXT NULL,
    family_id    INTEGER NULL,
    CHECK ((kode_desa IS NULL) <> (family_id IS NULL))
);
CREATE INDEX ix_data_sharing_items_agreement ON data_sharing_items (agreement_id);
