-- The one-person duplicate check (Linkage/CheckDuplicate.cs) looks persons up by birth date, and by name key within a
-- year of it: both indexed so that one check stays within a few milliseconds on a million persons.
CREATE INDEX ix_persons_tanggal_lahir ON persons (tanggal_lahir);
CREATE INDEX ix_persons_nama_kunci_tanggal_lahir ON persons (nama_kunci, tanggal_lahir);
