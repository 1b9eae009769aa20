-- Privacy (issue 14): cases are anonymised after the retention period, or at once when the
-- tenant's request for erasure is carried out (service/privacy). An anonymised case keeps
-- what the dashboard counts (category, urgency, dates, corporation, municipality, status
-- history) and the 4-digit postcode area; everything that leads to the tenant goes.

ALTER TABLE cases
    ADD COLUMN anonymised_at         timestamptz,
    -- The tenant asked for erasure (article 17 AVG); it is carried out by erase_by, the last
    -- day of the month the law gives.
    ADD COLUMN erasure_requested_at  timestamptz,
    ADD COLUMN erase_by              date,
    ADD CONSTRAINT cases_erasure_deadline CHECK ((erasure_requested_at IS NULL) = (erase_by IS NULL));

-- Without its home the case is located by its postcode area alone, and has no description.
ALTER TABLE cases
    DROP CONSTRAINT cases_check,
    ADD CONSTRAINT cases_located CHECK (
        anonymised_at IS NOT NULL
        OR (postcode IS NOT NULL AND house_number IS NOT NULL) OR bag_id IS NOT NULL),
    DROP CONSTRAINT cases_postcode_check,
    ADD CONSTRAINT cases_postcode_check CHECK (
        postcode ~ '^[1-9][0-9]{3}[A-Z]{2}$'
        OR (anonymised_at IS NOT NULL AND postcode ~ '^[1-9][0-9]{3}$')),
    DROP CONSTRAINT cases_description_check,
    ADD CONSTRAINT cases_description_check CHECK (
        length(description) BETWEEN 1 AND 5000 OR (anonymised_at IS NOT NULL AND description = '')),
    -- What anonymising removes stays removed: no later change can put it back unnoticed.
    ADD CONSTRAINT cases_anonymised_empty CHECK (
        anonymised_at IS NULL OR (
            description = '' AND street IS NULL AND city IS NULL AND house_number IS NULL
            AND house_letter = '' AND addition = '' AND bag_id IS NULL AND address_id IS NULL
            AND tracking_salt IS NULL AND (postcode IS NULL OR length(postcode) = 4)));

-- The staff's list of erasure requests still to carry out, by deadline.
CREATE INDEX cases_erasure_due_idx ON cases (erase_by)
    WHERE erasure_requested_at IS NOT NULL AND anonymised_at IS NULL;
-- The worker's question: finished cases past the retention period, not anonymised yet.
CREATE INDEX cases_retention_idx ON cases (closed_at)
    WHERE closed_at IS NOT NULL AND anonymised_at IS NULL;

-- The history stays append-only, with one exception: anonymising rewrites the data of the
-- events of one case (the texts of notes and messages), and only their data. The caller
-- names the case in the transaction's setting service.anonymising_case (SET LOCAL).
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('service.anonymising_case', true) = OLD.case_id::text
       AND (NEW.case_id, NEW.seq, NEW.at, NEW.actor, NEW.actor_user_id, NEW.kind,
            NEW.from_status, NEW.to_status, NEW.public)
           IS NOT DISTINCT FROM (OLD.case_id, OLD.seq, OLD.at, OLD.actor, OLD.actor_user_id,
                                 OLD.kind, OLD.from_status, OLD.to_status, OLD.public) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'case_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
