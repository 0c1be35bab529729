-- Verivali: a family's line in a period is found by family (reasons added by other producers, an usulan's check, the
-- apply's version check); without this index every such lookup scanned the period's lines (300,000 on a regency).
CREATE INDEX ix_verivali_lines_period_family ON verivali_lines (period_id, family_id);
