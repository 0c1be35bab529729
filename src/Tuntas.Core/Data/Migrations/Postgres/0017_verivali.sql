-- One registry writer (docs/registry.md): a version stamp per family for optimistic concurrency (a second save on a
-- stale version is refused), the life status of each person (hidup/meninggal/pindah/hilang, with date, source and
-- destination), the date of the last field verification, and the source of each history line.
ALTER TABLE families ADD COLUMN version bigint NOT NULL DEFAULT 1;
ALTER TABLE families ADD COLUMN verified_at date NULL;
ALTER TABLE persons ADD COLUMN status_hidup integer NOT NULL DEFAULT 1;
ALTER TABLE persons ADD COLUMN status_tanggal date NULL;
ALTER TABLE persons ADD COLUMN status_sumber text NULL;
-- Members who are not living are few: a partial index finds them (and the families left without anyone living) at once.
ALTER TABLE persons ADD COLUMN pindah_ke text NULL;
CREATE INDEX ix_persons_not_living ON persons (family_id) WHERE status_hidup <> 1;
ALTER TABLE family_changes ADD COLUMN source text NOT NULL DEFAULT 'berkas';
ALTER TABLE family_changes ADD COLUMN source_ref text NULL;
ALTER TABLE family_changes ADD COLUMN family_version bigint NULL;
-- A change request may carry structured field changes (JSON list of {personId, field, value}), applied with one action.
ALTER TABLE change_requests ADD COLUMN proposed_changes text NULL;
ALTER TABLE change_requests ADD COLUMN applied_by text NULL;
ALTER TABLE change_requests ADD COLUMN applied_at timestamp with time zone NULL;
