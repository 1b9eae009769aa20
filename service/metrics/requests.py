"""Every answer counted by method, route template and status, with its duration.

Unknown addresses (404) and wrong methods (405) count as the route UNMATCHED. The route is the
template (`/api/v1/cases/{reference}`), never the path itself: paths carry references and
tokens, and each distinct path would make series of its own.
"""

from typing import Any

from litestar.types import HTTPScope

from service.metrics.instruments import LATENCY, REQUESTS

UNMATCHED = "unmatched"
# Any other word a client sends as its method counts as "other": no client makes new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


# (method, route, status) -> its counter and its histogram. prometheus_client's labels()
# checks and converts the label values and takes a lock on every call; there are a few
# hundred series at most, so each is looked up there once and kept here (issue 15).
_series: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def count_request(scope: HTTPScope, status: int, seconds: float) -> None:
    method = scope["method"] if scope["method"] in METHODS else "other"
    # Set by Litestar's router once the request found its route.
    route = scope.get("path_template") or UNMATCHED
    series = _series.get((method, route, status))
    if series is None:
        series = _series[method, route, status] = (
            REQUESTS.labels(method, route, str(status)),
            LATENCY.labels(method, route),
        )
    requests, latency = series
    requests.inc()
    latency.observe(seconds)
