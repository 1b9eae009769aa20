-- The day of the inspection visit a finding records, and the day a repair was done: both are
-- often typed in days later, and the deadlines count the day the work took place.
ALTER TABLE case_findings ADD COLUMN visited_on date;
UPDATE case_findings SET visited_on = (recorded_at AT TIME ZONE 'Europe/Amsterdam')::date;
ALTER TABLE case_findings ALTER COLUMN visited_on SET NOT NULL;

-- Set while the case is resolved or closed after a repair; a reopened case has none.
ALTER TABLE cases ADD COLUMN repaired_on date;
UPDATE cases SET repaired_on = (resolved_at AT TIME ZONE 'Europe/Amsterdam')::date
    WHERE resolved_at IS NOT NULL;
