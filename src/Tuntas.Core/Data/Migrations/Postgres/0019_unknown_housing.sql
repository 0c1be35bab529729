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
