"""One log line per request, without query strings: they can hold addresses and tokens."""

import logging

from litestar.types import HTTPScope

logger = logging.getLogger("service.access")


def log_request(scope: HTTPScope, status: int, seconds: float) -> None:
    logger.info("%s %s %s %.1fms", scope["method"], scope["path"], status, seconds * 1000)
