-- An upload (back office or API) may accept the file's NIKs registered under another NO_KK as moves between families
-- (a KK split, a marriage), as the CLI's --allow-moves does: OpenSID's and the ministry's files carry no PINDAH column.
-- Kept on the job, as its scope is, because the worker runs it later without the request.
ALTER TABLE import_jobs ADD COLUMN allow_moves boolean NOT NULL DEFAULT false;
