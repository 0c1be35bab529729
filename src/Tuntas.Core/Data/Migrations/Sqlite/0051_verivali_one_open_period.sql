-- Only one verivali period is open at a time (Verivali/OpenPeriod.cs): the check before the insert let a double click on
-- "Buka periode" open two, each with every village's full worklist. The database now holds the rule itself. A database
-- where that already happened keeps its first open period open; the later ones are closed as of their opening, their
-- lines kept (readable, no longer worked on).
UPDATE verivali_periods SET closed_at = opened_at, closed_by = 'migrasi: periode ganda'
WHERE closed_at IS NULL AND id > (SELECT MIN(id) FROM verivali_periods WHERE closed_at IS NULL);
CREATE UNIQUE INDEX ux_verivali_periods_one_open ON verivali_periods ((closed_at IS NULL)) WHERE closed_at IS NULL;
