-- The backlog dashboard: counters kept exact by triggers in the same transaction as every
-- change of a case, so the dashboard reads a few hundred rows instead of the cases table.
--
-- Each counter row is split over 8 shards (a case picks one at random) so that concurrent
-- reports do not queue on one hot row; readers add the shards up.

-- Open cases (not closed, not rejected) per corporation (0: none yet) by status, urgency,
-- category and municipality ('' when unknown).
CREATE TABLE case_counts (
    corporation_key  bigint NOT NULL,
    dimension        text NOT NULL CHECK (dimension IN ('status', 'urgency', 'category', 'municipality')),
    value            text NOT NULL,
    shard            smallint NOT NULL CHECK (shard BETWEEN 0 AND 7),
    open_cases       bigint NOT NULL,
    PRIMARY KEY (corporation_key, dimension, value, shard)
);

-- Per corporation and Amsterdam calendar day: reports made, cases closed (or rejected), and
-- how many cases reported that day are open now (for the age buckets).
CREATE TABLE case_days (
    corporation_key  bigint NOT NULL,
    day              date NOT NULL,
    shard            smallint NOT NULL CHECK (shard BETWEEN 0 AND 7),
    reported         bigint NOT NULL DEFAULT 0,
    closed           bigint NOT NULL DEFAULT 0,
    open_now         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (corporation_key, day, shard)
);

CREATE FUNCTION case_is_open(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$ SELECT status NOT IN ('closed', 'rejected') $$;

CREATE FUNCTION amsterdam_day(moment timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (moment AT TIME ZONE 'Europe/Amsterdam')::date $$;

-- Every change of a case as -1 for what it was and +1 for what it is, netted per counter
-- row and written in key order: concurrent changes then take their row locks in the same
-- order and cannot deadlock, and a change that moves nothing writes nothing. (A transaction
-- that changes several cases while others write, takes several such sets: change one case
-- per transaction there, as the worker does.)
CREATE FUNCTION cases_count() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    slot smallint := floor(random() * 8)::smallint;
    was_open boolean := TG_OP <> 'INSERT' AND case_is_open(OLD.status);
    is_open boolean := TG_OP <> 'DELETE' AND case_is_open(NEW.status);
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.status = NEW.status
       AND OLD.corporation_id IS NOT DISTINCT FROM NEW.corporation_id
       AND OLD.urgency = NEW.urgency
       AND OLD.category = NEW.category
       AND OLD.municipality_code IS NOT DISTINCT FROM NEW.municipality_code
       AND OLD.reported_at = NEW.reported_at THEN
        RETURN NULL;  -- a note, an assignment, new dates: the counts stay
    END IF;

    INSERT INTO case_counts AS t (corporation_key, dimension, value, shard, open_cases)
    SELECT corporation_key, dimension, value, slot, sum(delta)
    FROM (
        SELECT coalesce(OLD.corporation_id, 0) AS corporation_key, d.dimension, d.value, -1 AS delta
        FROM (VALUES ('status', OLD.status), ('urgency', OLD.urgency), ('category', OLD.category),
                     ('municipality', coalesce(OLD.municipality_code, ''))) AS d (dimension, value)
        WHERE was_open
        UNION ALL
        SELECT coalesce(NEW.corporation_id, 0), d.dimension, d.value, 1
        FROM (VALUES ('status', NEW.status), ('urgency', NEW.urgency), ('category', NEW.category),
                     ('municipality', coalesce(NEW.municipality_code, ''))) AS d (dimension, value)
        WHERE is_open
    ) AS change
    GROUP BY corporation_key, dimension, value
    HAVING sum(delta) <> 0
    ORDER BY corporation_key, dimension, value
    ON CONFLICT (corporation_key, dimension, value, shard)
    DO UPDATE SET open_cases = t.open_cases + excluded.open_cases;

    -- Intake counts under the case's corporation and report day as they are now, so a routed
    -- or transferred case takes its report along; a closure counts on the day of closing.
    INSERT INTO case_days AS t (corporation_key, day, shard, reported, closed, open_now)
    SELECT corporation_key, day, slot, sum(reported), sum(closed), sum(open_now)
    FROM (
        SELECT coalesce(OLD.corporation_id, 0) AS corporation_key,
               amsterdam_day(OLD.reported_at) AS day,
               -1 AS reported, 0 AS closed, -was_open::int AS open_now
        WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT coalesce(NEW.corporation_id, 0), amsterdam_day(NEW.reported_at), 1, 0, is_open::int
        WHERE TG_OP <> 'DELETE'
        UNION ALL
        SELECT coalesce(NEW.corporation_id, 0), amsterdam_day(coalesce(NEW.closed_at, now())), 0, 1, 0
        WHERE was_open AND TG_OP = 'UPDATE' AND NOT is_open
    ) AS change
    GROUP BY corporation_key, day
    HAVING sum(reported) <> 0 OR sum(closed) <> 0 OR sum(open_now) <> 0
    ORDER BY corporation_key, day
    ON CONFLICT (corporation_key, day, shard) DO UPDATE
    SET reported = t.reported + excluded.reported,
        closed = t.closed + excluded.closed,
        open_now = t.open_now + excluded.open_now;
    RETURN NULL;
END;
$$;

CREATE TRIGGER cases_count AFTER INSERT OR UPDATE OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION cases_count();

-- Rebuild every counter from the cases table: after a bulk load with triggers off, or to
-- check them. Closures are taken from closed_at, so a case that was closed, reopened and is
-- open again no longer counts as a closure after a rebuild (the trigger counted it live).
CREATE FUNCTION rebuild_case_counters() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE cases IN SHARE MODE;  -- no change may slip between the count and the write
    DELETE FROM case_counts;
    DELETE FROM case_days;
    INSERT INTO case_counts (corporation_key, dimension, value, shard, open_cases)
    SELECT coalesce(corporation_id, 0), d.dimension, d.value, 0, count(*)
    FROM cases c
    CROSS JOIN LATERAL (VALUES ('status', c.status), ('urgency', c.urgency),
                               ('category', c.category),
                               ('municipality', coalesce(c.municipality_code, ''))) AS d (dimension, value)
    WHERE case_is_open(c.status)
    GROUP BY 1, 2, 3;
    INSERT INTO case_days (corporation_key, day, shard, reported, closed, open_now)
    SELECT corporation_key, day, 0, sum(reported), sum(closed), sum(open_now)
    FROM (
        SELECT coalesce(corporation_id, 0) AS corporation_key, amsterdam_day(reported_at) AS day,
               1 AS reported, 0 AS closed, case_is_open(status)::int AS open_now
        FROM cases
        UNION ALL
        SELECT coalesce(corporation_id, 0), amsterdam_day(closed_at), 0, 1, 0
        FROM cases WHERE closed_at IS NOT NULL
    ) AS per_case
    GROUP BY corporation_key, day;
END;
$$;

SELECT rebuild_case_counters();

-- Deadline state per stage: breached and at-risk counts are index range counts.
CREATE INDEX cases_stage_deadline_idx ON cases (next_stage, next_deadline_at)
    INCLUDE (corporation_id) WHERE next_stage IS NOT NULL;
CREATE INDEX cases_stage_at_risk_idx ON cases (next_stage, next_at_risk_at)
    INCLUDE (corporation_id) WHERE next_stage IS NOT NULL;
-- Acute cases nobody acknowledged yet, oldest first.
CREATE INDEX cases_acute_waiting_idx ON cases (reported_at)
    WHERE urgency = 'acute' AND status IN ('unrouted', 'new');
-- Resolution times of the last 90 days.
CREATE INDEX cases_resolved_at_idx ON cases (resolved_at) INCLUDE (corporation_id, reported_at)
    WHERE resolved_at IS NOT NULL;
