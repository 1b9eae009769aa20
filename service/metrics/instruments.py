"""What each worker process counts as it serves; exposition.py adds the processes up."""

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# No `_created` series beside each counter and histogram: the several-worker mode has none,
# and the text format shows them as gauges of their own that nobody graphs.
disable_created_metrics()

REQUESTS = Counter(
    "schade_http_requests",
    "Answered requests by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "schade_http_request_duration_seconds",
    "Seconds from a request's arrival to its answer's last byte, by method and route template",
    ["method", "route"],
    # Up to 30 s: a CSV export downloads for as long as the client takes.
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
CONNECTIONS_IN_USE = Gauge(
    "schade_db_connections_in_use",
    "Database connections taken from the pools, over all live worker processes",
    ["pool"],
    # Each process sets its own; the scrape adds up those of processes still running.
    multiprocess_mode="livesum",
)
