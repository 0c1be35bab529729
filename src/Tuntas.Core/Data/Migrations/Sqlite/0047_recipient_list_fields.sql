-- What a ministry's recipient list carries beside the recipient (docs/programs.md, "Lists as they come"): the card the
-- benefit is paid on (KKS/KIS: NOMOR_KARTU), the person's DTKS identifiers (IDARTBDT of BDT 2015, IDSEMESTA of the
-- DTKS), kept on the enrollment as the latest list gives them; and the disbursement phase (TAHAP: PKH pays in four
-- phases a year, BPNT/sembako in several) of each payment.
ALTER TABLE enrollments ADD COLUMN nomor_kartu text NULL;
ALTER TABLE enrollments ADD COLUMN id_art_bdt text NULL;
ALTER TABLE enrollments ADD COLUMN id_semesta text NULL;
ALTER TABLE disbursements ADD COLUMN tahap integer NULL;
-- One payment per enrollment, month and phase: two phases paid together in one month (a "rapel") are two payments.
DROP INDEX ux_disbursements_enrollment_period;
CREATE UNIQUE INDEX ux_disbursements_enrollment_period_tahap ON disbursements (enrollment_id, period, COALESCE(tahap, 0));
