-- NIK and NO_KK are compared and sorted byte by byte (collation "C"), not by the database's language rules. They are
-- 16-digit identifiers: the order of their digits is the same either way, and equality is the same (both collations are
-- deterministic), so no query answers differently. What changes is the cost: under a language collation (C.UTF-8,
-- en_US.UTF-8, id_ID.UTF-8) every comparison goes through the C library's strcoll and PostgreSQL sorts without
-- abbreviated keys, so building the unique index on persons.nik after a first load of 1,000,000 persons took 0.74 s,
-- against 0.58 s bytewise (families.no_kk: 0.23 s against 0.14 s; docs/benchmarks.md, "Index builds on one worker").
-- A comparison with a column of the default collation (ksm_members.nik, a parameter) takes this column's collation:
-- a column's collation outranks the database default (PostgreSQL manual, "Collation Support").
-- Only the two indexes on these columns are rebuilt; the tables are not rewritten (the type stays text).
ALTER TABLE persons ALTER COLUMN nik TYPE text COLLATE "C";
ALTER TABLE families ALTER COLUMN no_kk TYPE text COLLATE "C";
