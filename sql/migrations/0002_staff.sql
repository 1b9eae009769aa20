-- Staff accounts and API tokens, and what the case workflow records on a case.

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL
                    CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND email = lower(email)
                           AND length(email) <= 254),
    name            text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    role            text NOT NULL CHECK (role IN ('inspector', 'manager', 'coordinator', 'admin')),
    -- Inspectors and managers work for one corporation; coordinators and admins region-wide.
    corporation_id  bigint REFERENCES corporations (id),
    password_hash   text,
    active          boolean NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    deactivated_at  timestamptz,
    CHECK ((role IN ('inspector', 'manager')) = (corporation_id IS NOT NULL)),
    CHECK (active OR deactivated_at IS NOT NULL)
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_corporation_idx ON users (corporation_id);

-- Bearer tokens: shown once, stored as a SHA-256 hash.
CREATE TABLE api_tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint NOT NULL REFERENCES users (id),
    token_hash  bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    label       text NOT NULL DEFAULT '' CHECK (length(label) <= 100),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

ALTER TABLE cases
    ADD COLUMN assignee_id             bigint REFERENCES users (id),
    ADD COLUMN acknowledged_at         timestamptz,
    ADD COLUMN inspected_at            timestamptz,
    ADD COLUMN resolved_at             timestamptz,
    -- The planned inspection or repair visit of the current status.
    ADD COLUMN planned_at              timestamptz,
    ADD COLUMN referred_to             text CHECK (referred_to IN ('IMG', 'NCG')),
    ADD COLUMN external_reference      text CHECK (length(external_reference) BETWEEN 1 AND 100),
    ADD COLUMN on_hold_since           timestamptz,
    ADD COLUMN on_hold_previous_status text,
    ADD COLUMN rejection_reason        text
               CHECK (rejection_reason IN ('not_damage', 'duplicate', 'not_our_home', 'withdrawn')),
    ADD COLUMN duplicate_of            uuid REFERENCES cases (id);

-- Cases from before this migration carry no workflow details yet: fill in what their
-- status implies, from their last change, so that the rules below hold for every row.
UPDATE cases SET resolved_at = updated_at WHERE status = 'resolved';
UPDATE cases SET planned_at = updated_at
    WHERE status IN ('inspection_planned', 'repair_planned');
UPDATE cases SET referred_to = 'IMG', external_reference = 'unknown' WHERE status = 'referred';
UPDATE cases SET on_hold_since = updated_at, on_hold_previous_status = 'acknowledged'
    WHERE status = 'on_hold';
UPDATE cases SET rejection_reason = 'not_damage' WHERE status = 'rejected';

ALTER TABLE cases
    ADD CONSTRAINT cases_on_hold_fields CHECK (
        (status = 'on_hold') = (on_hold_since IS NOT NULL AND on_hold_previous_status IS NOT NULL)),
    ADD CONSTRAINT cases_on_hold_previous CHECK (on_hold_previous_status IN (
        'new', 'acknowledged', 'inspection_planned', 'repair_planned', 'referred')),
    ADD CONSTRAINT cases_planned_needs_time CHECK (
        status NOT IN ('inspection_planned', 'repair_planned') OR planned_at IS NOT NULL),
    ADD CONSTRAINT cases_referred_fields CHECK (
        status <> 'referred' OR (referred_to IS NOT NULL AND external_reference IS NOT NULL)),
    ADD CONSTRAINT cases_rejected_reason CHECK (status <> 'rejected' OR rejection_reason IS NOT NULL),
    ADD CONSTRAINT cases_duplicate_needs_case CHECK (
        (duplicate_of IS NOT NULL) = (coalesce(rejection_reason, '') = 'duplicate')),
    ADD CONSTRAINT cases_resolved_at CHECK (status <> 'resolved' OR resolved_at IS NOT NULL);

-- What a case is working towards now: the stage, its deadline, and when that turns "at
-- risk" (the last fifth of the window from the report). A trigger derives them from the
-- status and deadlines on every write, so they can never disagree with them; the same rule
-- in Python is service.domain.sla (STAGE_OF_STATUS, AT_RISK_FRACTION) and a test keeps the
-- two equal. NULL while nothing is due: on hold (the clocks pause) or finished.
ALTER TABLE cases
    ADD COLUMN next_stage       text CHECK (next_stage IN ('acknowledge', 'inspect', 'resolve')),
    ADD COLUMN next_deadline_at timestamptz,
    ADD COLUMN next_at_risk_at  timestamptz;

CREATE FUNCTION cases_next_deadline() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.next_stage := CASE
        WHEN NEW.status IN ('unrouted', 'new') THEN 'acknowledge'
        WHEN NEW.status IN ('acknowledged', 'inspection_planned') THEN 'inspect'
        WHEN NEW.status IN ('inspected', 'repair_planned', 'referred') THEN 'resolve'
    END;
    NEW.next_deadline_at := CASE NEW.next_stage
        WHEN 'acknowledge' THEN NEW.acknowledge_by
        WHEN 'inspect' THEN NEW.inspect_by
        WHEN 'resolve' THEN NEW.resolve_by
    END;
    NEW.next_at_risk_at := NEW.next_deadline_at - (NEW.next_deadline_at - NEW.reported_at) * 0.2;
    RETURN NEW;
END;
$$;

CREATE TRIGGER cases_next_deadline BEFORE INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_next_deadline();
UPDATE cases SET status = status;  -- derive them for the cases already there

-- The work queue: by next deadline (cases with none last), then id, per corporation and overall.
CREATE INDEX cases_queue_corporation_idx
    ON cases (corporation_id, (coalesce(next_deadline_at, 'infinity')), id);
CREATE INDEX cases_queue_idx ON cases ((coalesce(next_deadline_at, 'infinity')), id);
CREATE INDEX cases_reported_corporation_idx ON cases (corporation_id, reported_at, id);
CREATE INDEX cases_reported_idx ON cases (reported_at, id);
CREATE INDEX cases_assignee_idx ON cases (assignee_id) WHERE assignee_id IS NOT NULL;
-- The auto-close job looks for cases resolved more than 14 days ago.
CREATE INDEX cases_resolved_idx ON cases (resolved_at) WHERE status = 'resolved';
-- Similar cases: same home, same postcode.
CREATE INDEX cases_postcode_idx ON cases (postcode, house_number);

-- Who did it, for staff events; actor keeps the name shown in the history.
ALTER TABLE case_events ADD COLUMN actor_user_id bigint REFERENCES users (id);

-- Findings of an inspection: the damage items with their class (Burland scale).
CREATE TABLE case_findings (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id           uuid NOT NULL REFERENCES cases (id),
    corporation_id    bigint NOT NULL REFERENCES corporations (id),
    recorded_at       timestamptz NOT NULL DEFAULT now(),
    recorded_by       bigint NOT NULL REFERENCES users (id),
    acute             boolean NOT NULL,
    earthquake_cause  text NOT NULL CHECK (earthquake_cause IN ('likely', 'unlikely', 'unknown')),
    summary           text CHECK (length(summary) <= 5000)
);
CREATE INDEX case_findings_case_idx ON case_findings (case_id);

CREATE TABLE damage_items (
    finding_id      bigint NOT NULL REFERENCES case_findings (id),
    position        smallint NOT NULL CHECK (position >= 1),
    location        text NOT NULL CHECK (length(btrim(location)) BETWEEN 1 AND 200),
    kind            text NOT NULL CHECK (length(btrim(kind)) BETWEEN 1 AND 100),
    damage_class    smallint NOT NULL CHECK (damage_class BETWEEN 0 AND 5),
    crack_width_mm  numeric(6, 2) CHECK (crack_width_mm >= 0),
    description     text CHECK (length(description) <= 2000),
    PRIMARY KEY (finding_id, position)
);
