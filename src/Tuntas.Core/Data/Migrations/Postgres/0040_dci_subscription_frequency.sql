-- A DCI subscription's notify schedule (docs/dci.md, Subscriptions and notify): the standard's subscribe_criteria
-- frequency — a cron expression, in the regency's time, and the span in which it applies. Changes inside the span are
-- held and told together at the schedule's next time; without a frequency they are told as they happen.
ALTER TABLE dci_subscriptions ADD COLUMN frequency text NULL;
ALTER TABLE dci_subscriptions ADD COLUMN frequency_start timestamp with time zone NULL;
ALTER TABLE dci_subscriptions ADD COLUMN frequency_end timestamp with time zone NULL;
