-- Which process runs an import (a CLI run: "cli:<machine>:<pid>:<process start ticks>"), so that a job whose process was
-- killed is found and marked failed instead of showing "berjalan" forever. Its transaction rolled back: nothing written.
ALTER TABLE import_jobs ADD COLUMN runner text NULL;
