-- An API client owns its import jobs as "api:<name>#<id>" (Users/User.cs, ApiClient.Actor): by its name alone, a second
-- village's key of the same name read and committed the first's jobs. The jobs a client queued under its name alone are
-- given the new form where that name is one client's; a name two clients share cannot say whose the job was, and the job
-- stays nobody's (it expires with the previews).
UPDATE import_jobs
SET created_by = created_by || '#' || (SELECT c.id FROM api_clients c WHERE 'api:' || c.name = import_jobs.created_by)
WHERE created_by IN (SELECT 'api:' || name FROM api_clients GROUP BY name HAVING COUNT(*) = 1);
