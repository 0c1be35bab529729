-- Verivali: a line gets an enumerator only after the opening, so at the opening every one of a regency's lines (300,000)
-- would add a NULL entry to the assignment index. Only assigned lines are ever looked up by enumerator (their worklist,
-- the field forms' media, the access scope of a relawan), so the index holds just those.
DROP INDEX ix_verivali_lines_assigned;
CREATE INDEX ix_verivali_lines_assigned ON verivali_lines (assigned_to) WHERE assigned_to IS NOT NULL;
