"""One log line per request, without query strings: they can hold addresses and tokens."""

import logging
import time

from litestar.types import HTTPScope

from service.logs import sole_writer

logger = logging.getLogger("service.access")


def log_request(scope: HTTPScope, status: int, seconds: float) -> None:
    if not logger.isEnabledFor(logging.INFO):
        return
    message = f"{scope['method']} {scope['path']} {status} {seconds * 1000:.1f}ms"
    writer = sole_writer(logger, logging.INFO)
    if writer is None:  # more than the server's writer listening: a record, through logging
        logger.info("%s", message)
    else:
        writer.emit_line(logger.name, "INFO", message, time.time())
