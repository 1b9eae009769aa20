-- The backlog straight from the cases table: what GET /api/v1/dashboard/backlog answers,
-- with plain GROUP BYs and none of the counter tables of migration 0003. The reference the
-- dashboard endpoint is measured against (bench/run.py).
--   $1 a corporation id (bench/run.py narrows with "AND corporation_id = $1" in place of
--      the comment below, as service/dashboard/store.py does) or NULL for the region
--   $2 now; $3 the Monday of the first of the 26 weeks; $4 now - 90 days
-- Rows: part 'open' by corporation, status, urgency, category, municipality, age bucket and
-- stage, with breached / at-risk / acute-waiting counts and the oldest unrouted report;
-- part 'week' the reports and closures per ISO week; part 'resolution' p50/p90 days.
WITH open_cases AS (
    SELECT corporation_id, status, urgency, category, municipality_code,
           CASE
               WHEN reported_at >= $2::timestamptz - interval '8 days' THEN '0-7'
               WHEN reported_at >= $2::timestamptz - interval '31 days' THEN '8-30'
               WHEN reported_at >= $2::timestamptz - interval '91 days' THEN '31-90'
               WHEN reported_at >= $2::timestamptz - interval '366 days' THEN '91-365'
               ELSE '>365'
           END AS age_bucket,
           next_stage,
           count(*) AS cases,
           count(*) FILTER (WHERE next_deadline_at < $2::timestamptz) AS breached,
           count(*) FILTER (WHERE next_at_risk_at <= $2::timestamptz AND next_deadline_at >= $2::timestamptz) AS at_risk,
           count(*) FILTER (WHERE urgency = 'acute' AND status IN ('unrouted', 'new')) AS acute_waiting,
           min(reported_at) FILTER (WHERE status = 'unrouted') AS oldest_unrouted
    FROM cases
    WHERE status NOT IN ('closed', 'rejected') /* corporation */
    GROUP BY corporation_id, status, urgency, category, municipality_code, age_bucket, next_stage
),
weeks AS (
    SELECT corporation_id, date_trunc('week', day)::date AS week,
           count(*) FILTER (WHERE kind = 'reported') AS reported,
           count(*) FILTER (WHERE kind = 'closed') AS closed
    FROM (
        SELECT corporation_id, (reported_at AT TIME ZONE 'Europe/Amsterdam')::date AS day,
               'reported' AS kind
        FROM cases WHERE reported_at >= $3::date /* corporation */
        UNION ALL
        SELECT corporation_id, (closed_at AT TIME ZONE 'Europe/Amsterdam')::date, 'closed'
        FROM cases WHERE closed_at >= $3::date /* corporation */
    ) AS flow
    GROUP BY corporation_id, week
),
resolution AS (
    SELECT corporation_id, count(*) AS resolved,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM resolved_at - reported_at)) / 86400 AS p50_days,
           percentile_cont(0.9) WITHIN GROUP (
               ORDER BY extract(epoch FROM resolved_at - reported_at)) / 86400 AS p90_days
    FROM cases
    WHERE resolved_at >= $4::timestamptz AND corporation_id IS NOT NULL /* corporation */
    GROUP BY corporation_id
)
SELECT 'open' AS part, corporation_id, status, urgency, category, municipality_code, age_bucket,
       next_stage, NULL::date AS week, cases, breached, at_risk, acute_waiting, oldest_unrouted,
       NULL::float8 AS p50_days, NULL::float8 AS p90_days
FROM open_cases
UNION ALL
SELECT 'week', corporation_id, NULL, NULL, NULL, NULL, NULL, NULL, week, reported, closed,
       NULL, NULL, NULL, NULL, NULL
FROM weeks
UNION ALL
SELECT 'resolution', corporation_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, resolved, NULL,
       NULL, NULL, NULL, p50_days, p90_days
FROM resolution
