-- Housing columns may be unknown (docs/import-profiles.md): a family imported from OpenSID's population data or a
-- DTKS list without the REGSOSEK 301a–309a answers is registered with those fields NULL ("unknown", never "no"), and a
-- later file that carries them fills them in.
ALTER TABLE families
    ALTER COLUMN status_bangunan DROP NOT NULL,
    ALTER COLUMN luas_lantai DROP NOT NULL,
    ALTER COLUMN jenis_lantai DROP NOT NULL,
    ALTER COLUMN jenis_dinding DROP NOT NULL,
    ALTER COLUMN jenis_atap DROP NOT NULL,
    ALTER COLUMN sumber_air_minum DROP NOT NULL,
    ALTER COLUMN sumber_penerangan DROP NOT NULL,
    ALTER COLUMN bahan_bakar_masak DROP NOT NULL,
    ALTER COLUMN fasilitas_bab DROP NOT NULL;
-- The layout of an uploaded file (docs/import-profiles.md) and the village of an OpenSID file, chosen on the upload
-- form or through the API, kept with the queued job for the background worker.
ALTER TABLE import_jobs ADD COLUMN profile text NULL;
ALTER TABLE import_jobs ADD COLUMN village text NULL;
