-- The import job's kind was written and never read (one kind of job: a family file); the job's file name and
-- profile say what it imported.
ALTER TABLE import_jobs DROP COLUMN kind;
