-- The dashboard counters follow the row, never the change: each counter a case adds to is a
-- function of its row alone (its open counts, its report day, and one closure on the day of
-- closed_at when that is set), exactly what rebuild_case_counters() counts from the cases
-- table. 0003's trigger counted a closure only on an UPDATE from an open to a finished
-- status, on the day of that UPDATE: cases inserted already closed or rejected (the demo
-- data, any bulk load with the triggers on) never counted as closed, and a case closed,
-- reopened and closed again counted twice, unlike after a rebuild. Now the counters equal a
-- plain recount after any insert, update, reopening or delete.

-- Every change of a case as -1 for what the row was and +1 for what it is, netted per
-- counter row and written in key order: concurrent changes then take their row locks in the
-- same order and cannot deadlock, and a change that moves nothing writes nothing. (A
-- transaction that changes several cases while others write, takes several such sets:
-- change one case per transaction there, as the worker does.)
CREATE OR REPLACE FUNCTION cases_count() RETURNS trigger
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
       AND OLD.reported_at = NEW.reported_at
       AND OLD.closed_at IS NOT DISTINCT FROM NEW.closed_at THEN
        RETURN NULL;  -- a note, an assignment, new deadlines: the counts stay
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
    -- or transferred case takes its report along; a closure likewise, on the day of closed_at
    -- as it is now. Inserted closed, it counts at once; reopened (closed_at back to NULL), it
    -- no longer counts; closed again, it counts on the new day.
    INSERT INTO case_days AS t (corporation_key, day, shard, reported, closed, open_now)
    SELECT corporation_key, day, slot, sum(reported), sum(closed), sum(open_now)
    FROM (
        SELECT coalesce(OLD.corporation_id, 0) AS corporation_key,
               amsterdam_day(OLD.reported_at) AS day,
               -1 AS reported, 0 AS closed, -was_open::int AS open_now
        WHERE TG_OP <> 'INSERT'
        UNION ALL
        SELECT coalesce(OLD.corporation_id, 0), amsterdam_day(OLD.closed_at), 0, -1, 0
        WHERE TG_OP <> 'INSERT' AND OLD.closed_at IS NOT NULL
        UNION ALL
        SELECT coalesce(NEW.corporation_id, 0), amsterdam_day(NEW.reported_at), 1, 0, is_open::int
        WHERE TG_OP <> 'DELETE'
        UNION ALL
        SELECT coalesce(NEW.corporation_id, 0), amsterdam_day(NEW.closed_at), 0, 1, 0
        WHERE TG_OP <> 'DELETE' AND NEW.closed_at IS NOT NULL
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

-- rebuild_case_counters() already counts this way (closures from closed_at) and stays as it
-- is; what it says about the trigger counting closures live no longer holds. Rebuild now, so
-- that existing databases drop the closures of reopened cases and gain those of cases
-- inserted closed.
SELECT rebuild_case_counters();
