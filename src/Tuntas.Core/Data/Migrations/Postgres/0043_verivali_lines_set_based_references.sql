-- Verivali: a line gets an enumerator only after the opening, so at the opening every one of a regency's lines (300,000)
-- would add a NULL entry to the assignment index. Only assigned lines are ever looked up by enumerator (their worklist,
-- the field forms' media, the access scope of a relawan), so the index holds just those.
DROP INDEX ix_verivali_lines_assigned;
CREATE INDEX ix_verivali_lines_assigned ON verivali_lines (assigned_to) WHERE assigned_to IS NOT NULL;

-- The opening of a period writes a line for every family due a visit (300,000 on a regency) in one INSERT … SELECT.
-- PostgreSQL checks a foreign key row by row, each check a query that locks the family's row FOR KEY SHARE (writing to
-- every family tuple): EXPLAIN ANALYZE gave the two keys of verivali_lines 4.7 s of the statement's 7.8 s
-- (docs/benchmarks.md, Verivali). The same two references are kept, checked once per statement over its transition
-- table (one anti-join), on both sides: a line must name a registered family (or none, for an usulan baru not yet
-- registered) and an existing period; a family or period that lines name cannot be deleted. What is given up is the
-- row lock against a concurrent delete of the family; no code deletes families or periods (merges end persons'
-- membership, never the family row), so the lock guarded nothing real.
ALTER TABLE verivali_lines DROP CONSTRAINT verivali_lines_family_id_fkey;
ALTER TABLE verivali_lines DROP CONSTRAINT verivali_lines_period_id_fkey;

CREATE FUNCTION verivali_lines_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM changed_lines n LEFT JOIN families f ON f.id = n.family_id
               WHERE n.family_id IS NOT NULL AND f.id IS NULL) THEN
        RAISE foreign_key_violation USING MESSAGE = 'verivali_lines.family_id names no family';
    END IF;
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT period_id FROM changed_lines) n LEFT JOIN verivali_periods p ON p.id = n.period_id
               WHERE p.id IS NULL) THEN
        RAISE foreign_key_violation USING MESSAGE = 'verivali_lines.period_id names no period';
    END IF;
    RETURN NULL;
END $$;
-- PostgreSQL allows a transition table only on a trigger of one event: one trigger for inserts, one for updates.
CREATE TRIGGER verivali_lines_references_insert AFTER INSERT ON verivali_lines
    REFERENCING NEW TABLE AS changed_lines FOR EACH STATEMENT EXECUTE FUNCTION verivali_lines_check_references();
CREATE TRIGGER verivali_lines_references_update AFTER UPDATE ON verivali_lines
    REFERENCING NEW TABLE AS changed_lines FOR EACH STATEMENT EXECUTE FUNCTION verivali_lines_check_references();

CREATE FUNCTION verivali_lines_check_referenced_family() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM removed_families r JOIN verivali_lines l ON l.family_id = r.id) THEN
        RAISE foreign_key_violation USING MESSAGE = 'a verivali line still names this family';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER families_verivali_lines_delete AFTER DELETE ON families
    REFERENCING OLD TABLE AS removed_families FOR EACH STATEMENT EXECUTE FUNCTION verivali_lines_check_referenced_family();

CREATE FUNCTION verivali_lines_check_referenced_period() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM removed_periods r JOIN verivali_lines l ON l.period_id = r.id) THEN
        RAISE foreign_key_violation USING MESSAGE = 'a verivali line still names this period';
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER verivali_periods_lines_delete AFTER DELETE ON verivali_periods
    REFERENCING OLD TABLE AS removed_periods FOR EACH STATEMENT EXECUTE FUNCTION verivali_lines_check_referenced_period();
