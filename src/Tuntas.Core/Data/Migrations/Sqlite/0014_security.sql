-- Hardening after an independent probe (OWASP ASVS level 2, UU PDP 27/2022).
-- An API client carries its region and organization like a user, so its scope is resolved the same way.
ALTER TABLE api_clients ADD COLUMN region_code TEXT NULL;
ALTER TABLE api_clients ADD COLUMN organization TEXT NULL;
-- An uploaded import keeps the scope of the request that queued it: the worker runs later, without a request, and must
-- not look anyone's region up again. scope_regency = the whole regency; otherwise scope_region (NULL = nothing: refused).
ALTER TABLE import_jobs ADD COLUMN scope_regency INTEGER NOT NULL DEFAULT 0;
ALTER TABLE import_jobs ADD COLUMN scope_region TEXT NULL;
-- Time-based one-time passwords (RFC 6238) for the second sign-in step; the last step used, so a code is used once.
ALTER TABLE users ADD COLUMN totp_secret TEXT NULL;
ALTER TABLE users ADD COLUMN totp_confirmed_at TEXT NULL;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NULL;
-- Server-side sessions: a cookie names its session (by SHA-256), sign-out and a password reset end it for good.
CREATE TABLE user_sessions (
    id_hash      TEXT NOT NULL PRIMARY KEY,
    user_id      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    origin       TEXT NULL,
    ended_at     TEXT NULL,
    ended_reason TEXT NULL
);
CREATE INDEX ix_user_sessions_user ON user_sessions (user_id);
-- The audit chain is keyed (HMAC-SHA-256 with a key kept outside the database); key_id names the key, NULL marks the
-- entries written before keys (plain SHA-256), which can only precede keyed ones.
ALTER TABLE audit_log ADD COLUMN key_id TEXT NULL;
-- Signed checkpoints of the chain's head: truncating or recomputing the chain no longer passes verification.
CREATE TABLE audit_checkpoints (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    entry_id   INTEGER NOT NULL,
    entry_hash TEXT NOT NULL,
    key_id     TEXT NOT NULL,
    signature  TEXT NOT NULL
);
