-- The name skeleton (0039) filled by a trigger instead of as a generated column, with the same expression. Every write
-- path still gets it without knowing about it (the registry writer, merges, an import into a registry that holds data),
-- but a first load can now leave it out: it drops this trigger for its one transaction, as it drops the foreign keys,
-- and writes the skeleton the client computed (Registry/NameKey.cs, NameKey.Skeleton, which a database test compares
-- with this expression). Computed by the server, the 14 replace() calls per person took 1.3 s of the 5.7 s the server
-- spends copying 1,000,000 persons, where the server is the slower side (docs/benchmarks.md, "Import").
-- DROP EXPRESSION keeps every stored value and rewrites nothing.
ALTER TABLE persons ALTER COLUMN nama_kerangka DROP EXPRESSION, ALTER COLUMN nama_kerangka_akhir DROP EXPRESSION;

CREATE FUNCTION persons_name_skeleton() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.nama_kerangka := replace(replace(replace(replace(replace(replace(replace(NEW.nama_kunci, 'a', ''), 'i', ''), 'u', ''), 'e', ''), 'o', ''), 'y', ''), 'j', '');
    NEW.nama_kerangka_akhir := right(NEW.nama_kerangka, 3);
    RETURN NEW;
END
$$;

CREATE TRIGGER persons_name_skeleton BEFORE INSERT OR UPDATE OF nama_kunci, nama_kerangka, nama_kerangka_akhir ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_name_skeleton();
