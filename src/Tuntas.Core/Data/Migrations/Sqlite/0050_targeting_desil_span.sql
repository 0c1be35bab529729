-- The deciles a family's run of equal scores spans, when more than one (Targeting/Runs/Deciles.cs, Span): families the
-- decile model cannot tell apart share a decile, and a program's cut inside their span leaves them undetermined (belum
-- pasti) in the run and in a rule's preview, which reads these back. Null: the decile is exact (every older run).
ALTER TABLE targeting_results ADD COLUMN desil_terendah INTEGER NULL;
ALTER TABLE targeting_results ADD COLUMN desil_tertinggi INTEGER NULL;
