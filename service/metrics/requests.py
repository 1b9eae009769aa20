"""Every answer counted by method, route template and status, with its duration.

Unknown addresses (404) and wrong methods (405) count as the route UNMATCHED. The route is the
template (`/api/v1/cases/{reference}`), never the path itself: paths carry references and
tokens, and each distinct path would make series of its own.
"""

from litestar.types import HTTPScope

from service.metrics.instruments import LATENCY, REQUESTS

UNMATCHED = "unmatched"
# Any other word a client sends as its method counts as "other": no client makes new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def count_request(scope: HTTPScope, status: int, seconds: float) -> None:
    method = scope["method"] if scope["method"] in METHODS else "other"
    # Set by Litestar's router once the request found its route.
    route = scope.get("path_template") or UNMATCHED
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(method, route).observe(seconds)
