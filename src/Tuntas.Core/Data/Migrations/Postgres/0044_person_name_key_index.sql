-- ix_persons_nama_kunci is a prefix of ix_persons_nama_kunci_tanggal_lahir (0029, the same C collation), which serves
-- the same equalities and prefix ranges in the same order; keeping both cost every first load a second sort of
-- 1,000,000 names and every write a second index entry (docs/benchmarks.md, "Import"). The name skeleton (0039) is
-- already stored here: PostgreSQL has no virtual generated columns.
DROP INDEX IF EXISTS ix_persons_nama_kunci;
