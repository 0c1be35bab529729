-- Suspected duplicates at the opening of a verivali period (docs/verivali.md): record linkage over the regency takes
-- minutes, so the opening marks the period and a background search adds the dugaan-ganda reasons; these columns say
-- where that search stands (menunggu → selesai, or gagal), how many families it put on the worklists, and when.
ALTER TABLE verivali_periods ADD COLUMN duplicates_status text NULL;
ALTER TABLE verivali_periods ADD COLUMN duplicates_families integer NULL;
ALTER TABLE verivali_periods ADD COLUMN duplicates_at timestamp with time zone NULL;
