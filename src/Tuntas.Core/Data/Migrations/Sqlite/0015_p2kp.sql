-- P2KP / PNPM Mandiri Perkotaan (DOMAIN §6; docs/p2kp.md): the community board (BKM) per desa/kelurahan with its
-- elected members, its revolving-loan unit (UPK), the self-help groups (KSM) and their members, and the UPK's loan
-- book as docs/p2kp.md and the loan book format define it (loans, schedule, repayments, monthly operations, capital).
CREATE TABLE p2kp_bkm (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode_desa   TEXT NOT NULL,
    name        TEXT NOT NULL,
    formed_on   TEXT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_p2kp_bkm_kode_desa ON p2kp_bkm (kode_desa);

CREATE TABLE p2kp_bkm_members (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    bkm_id      INTEGER NOT NULL REFERENCES p2kp_bkm (id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    elected_on  TEXT NOT NULL,
    votes       INTEGER NOT NULL,
    term_until  TEXT NOT NULL
);
CREATE INDEX ix_p2kp_bkm_members_bkm ON p2kp_bkm_members (bkm_id);

CREATE TABLE upk (
    id          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    kode        TEXT NOT NULL,
    name        TEXT NOT NULL,
    kode_desa   TEXT NOT NULL,
    founded_on  TEXT NULL
);
CREATE UNIQUE INDEX ux_upk_kode ON upk (kode);

CREATE TABLE ksm (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    upk_id       INTEGER NOT NULL REFERENCES upk (id),
    kode         TEXT NOT NULL,
    name         TEXT NOT NULL,
    kode_desa    TEXT NOT NULL,
    jenis        TEXT NOT NULL,
    formed_on    TEXT NULL,
    dissolved_on TEXT NULL,
    ketua_nik    TEXT NULL,
    facilitator  TEXT NULL
);
CREATE UNIQUE INDEX ux_ksm_kode ON ksm (upk_id, kode);

CREATE TABLE ksm_members (
    id         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    ksm_id     INTEGER NOT NULL REFERENCES ksm (id),
    nik        TEXT NOT NULL,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    person_id  INTEGER NULL,
    joined_on  TEXT NULL,
    left_on    TEXT NULL
);
CREATE UNIQUE INDEX ux_ksm_members ON ksm_members (ksm_id, nik);
CREATE INDEX ix_ksm_members_person ON ksm_members (person_id);

CREATE TABLE upk_loans (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    upk_id           INTEGER NOT NULL REFERENCES upk (id),
    ksm_id           INTEGER NOT NULL REFERENCES ksm (id),
    nomor            TEXT NOT NULL,
    status           TEXT NOT NULL,
    principal        INTEGER NOT NULL,
    rate_hundredths  INTEGER NOT NULL,
    method           TEXT NOT NULL,
    term_months      INTEGER NOT NULL,
    first_due_on     TEXT NULL,
    proposed_on      TEXT NULL,
    approved_on      TEXT NULL,
    disbursed_on     TEXT NULL,
    closed_on        TEXT NULL,
    closing_reason   TEXT NULL,
    restructured_from_id INTEGER NULL
);
CREATE UNIQUE INDEX ux_upk_loans_nomor ON upk_loans (upk_id, nomor);
CREATE INDEX ix_upk_loans_ksm ON upk_loans (ksm_id);

CREATE TABLE upk_loan_shares (
    loan_id    INTEGER NOT NULL REFERENCES upk_loans (id),
    member_id  INTEGER NOT NULL REFERENCES ksm_members (id),
    amount     INTEGER NOT NULL,
    PRIMARY KEY (loan_id, member_id)
) WITHOUT ROWID;

CREATE TABLE upk_installments (
    loan_id    INTEGER NOT NULL REFERENCES upk_loans (id),
    k          INTEGER NOT NULL,
    due_on     TEXT NOT NULL,
    principal  INTEGER NOT NULL,
    service    INTEGER NOT NULL,
    PRIMARY KEY (loan_id, k)
) WITHOUT ROWID;

CREATE TABLE upk_repayments (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    loan_id      INTEGER NOT NULL REFERENCES upk_loans (id),
    paid_on      TEXT NOT NULL,
    principal    INTEGER NOT NULL,
    service      INTEGER NOT NULL,
    receipt      TEXT NULL,
    recorded_by  TEXT NULL
);
CREATE INDEX ix_upk_repayments_loan ON upk_repayments (loan_id, paid_on);
-- Receipts are recorded from the back office; imported repayments have none (and need no index entry).
CREATE UNIQUE INDEX ux_upk_repayments_receipt ON upk_repayments (loan_id, receipt) WHERE receipt IS NOT NULL;

CREATE TABLE upk_operations (
    upk_id   INTEGER NOT NULL REFERENCES upk (id),
    month    TEXT NOT NULL,
    income   INTEGER NOT NULL,
    costs    INTEGER NOT NULL,
    PRIMARY KEY (upk_id, month)
) WITHOUT ROWID;

CREATE TABLE upk_capital (
    id           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    upk_id       INTEGER NOT NULL REFERENCES upk (id),
    source       TEXT NOT NULL,
    received_on  TEXT NOT NULL,
    amount       INTEGER NOT NULL
);
CREATE INDEX ix_upk_capital_upk ON upk_capital (upk_id);
