"""Every error as RFC 9457 problem details, in words a person understands.

Handlers here turn exceptions into `application/problem+json`: the rules' domain errors
(service/domain/errors.py), Litestar's own, and anything unexpected. Nothing that reaches a
client carries a stack trace or the request's personal data.
"""

import logging
import re
import traceback
from http import HTTPStatus
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.types import ExceptionHandlersMap

from service.attachments.kinds import MediaRefused
from service.attachments.storage import StorageUnavailable
from service.cases.export import TooManyExports
from service.domain.errors import (
    Conflict,
    DomainError,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    StaleVersion,
)
from service.outage import database_unavailable
from service.web.busy import exports_busy_page, unavailable_page
from service.web.unknown_page import accepts_html, unknown_address_page

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details; `errors` names each field at fault."""

    title: str
    status: int
    detail: str
    type: str = "about:blank"
    errors: list[FieldError] = []


class ProblemException(HTTPException):
    """An answer only HTTP has words for (a missing If-Match); rules raise domain errors."""


def problem_response(
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    problem = Problem(
        title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors or []
    )
    return Response(content=problem, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_PROBLEM_DESCRIPTIONS = {
    400: "The input is not valid; `errors` names each field at fault",
    401: "No valid API token",
    403: "Your role may not do this",
    404: "Not found",
    409: "Not possible in the case's current state",
    412: "The case changed since the version in If-Match",
    413: "The body is larger than this route accepts (1 MB of JSON; uploads as documented)",
    415: "The body is not of a type this route accepts (JSON, or the upload's file types)",
    428: "Send If-Match with the case's version (its ETag)",
    429: "Too many requests; try again after Retry-After seconds",
    503: "The database or the file store does not answer; try again after Retry-After seconds",
}


def problem_specs(*statuses: int) -> dict[int, ResponseSpec]:
    """OpenAPI entries for the problem details a handler can answer with."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=PROBLEM_JSON,
            description=_PROBLEM_DESCRIPTIONS[status],
            generate_examples=False,
        )
        for status in statuses
    }


# What msgspec says of a body that is not JSON at all.
_UNDECODABLE = re.compile(
    r"JSON is malformed|Input data was truncated|invalid utf-8", re.IGNORECASE
)

_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "object": "an object",
    "array": "a list",
    "null": "nothing (null)",
}


def validation_path(error: msgspec.ValidationError) -> str:
    """Where msgspec found the value wrong: "address.postcode", "items[0].kind"."""
    return str(error).rpartition("$.")[2].rstrip("`")


def _humanise_msgspec(message: str) -> tuple[str, str]:
    """Split msgspec's "Expected `str`, got `int` - at `$.address.postcode`" into field and words."""
    text, _, location = message.partition(" - at `")
    field = location.rstrip("`").removeprefix("$").lstrip(".") or "body"
    field = re.sub(r"\[(\d+)\]", r".\1", field)

    def word(match: re.Match[str]) -> str:
        return _TYPE_WORDS.get(match.group(1), match.group(1))

    if text.startswith("Object contains unknown field"):
        name = re.search(r"`([^`]*)`", text)
        unknown = name.group(1) if name else "?"
        return (f"{field}.{unknown}" if field != "body" else unknown), "This field is not known."
    if text.startswith("Object missing required field"):
        name = re.search(r"`([^`]*)`", text)
        missing = name.group(1) if name else "?"
        return (f"{field}.{missing}" if field != "body" else missing), "This field is required."
    if match := re.match(r"Expected `(\w+)` of length <= (\d+)", text):
        return field, f"At most {match.group(2)} characters are allowed."
    if match := re.match(r"Expected `(\w+)` of length >= (\d+)", text):
        return field, "This field may not be empty." if match.group(2) == "1" else (
            f"At least {match.group(2)} characters are needed."
        )
    if match := re.match(r"Expected `(?:int|float)` (>=|<=|>|<) (\S+)", text):
        limit = {">=": "at least", "<=": "at most", ">": "more than", "<": "less than"}
        return field, f"The number must be {limit[match.group(1)]} {match.group(2)}."
    if text.startswith("Invalid enum value"):
        return field, f"{text}; see the allowed values in the API documentation."
    if text.startswith("Expected"):
        text = re.sub(r"`(\w+)`", word, text)
        return field, text + "."
    return field, text


def _validation_errors(extra: Any) -> list[FieldError]:
    errors = []
    for item in extra if isinstance(extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "invalid value"))
        key = str(item.get("key") or "")
        if key == "data" and message == "'data'":  # Litestar's words for a missing body
            errors.append(FieldError("body", "The request body is empty; send the report as JSON."))
            continue
        # Litestar names the body "data"; the field inside it is in the message.
        field, words = _humanise_msgspec(message)
        if key and key != "data":
            field = key if field == "body" else f"{key}.{field}"
        errors.append(FieldError(field, words))
    return errors


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if status == 400 and _UNDECODABLE.search(exc.detail or ""):
        return problem_response(400, "The request body is not valid JSON.")
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc.extra)
        if not errors and exc.detail:
            field, words = _humanise_msgspec(exc.detail)
            errors = [FieldError(field, words)]
        return problem_response(400, "Some fields are not valid; see errors.", errors)
    if isinstance(exc, NotFoundException) and exc.detail == "Not Found":
        if _is_page(request) and accepts_html(request):
            return unknown_address_page(request)
        return problem_response(404, "There is nothing at this address.")
    if status == 413:
        handler = request.scope.get("route_handler")
        limit = 0
        if isinstance(handler, HTTPRouteHandler):
            limit = handler.resolve_request_max_body_size() or 0
        words = f"{limit // 2**20} MB" if limit >= 2**20 else "1 MB"
        return problem_response(413, f"The request body is larger than the {words} accepted here.")
    if status == 405:
        return problem_response(405, "This method is not allowed here.", headers=exc.headers)
    if status >= 500:
        logger.error("server error %s: %s", status, type(exc).__name__)
        return problem_response(status, "Something went wrong on our side; nothing was saved.")
    return problem_response(status, exc.detail or HTTPStatus(status).phrase, headers=exc.headers)


# The status each domain error answers with; the first match in this order wins.
DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (InvalidInput, 400),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (StaleVersion, 412),
)


def status_of(error: DomainError) -> int:
    for kind, status in DOMAIN_STATUS:
        if isinstance(error, kind):
            return status
    raise TypeError(f"no HTTP status for {type(error).__name__}")


def handle_domain_error(_: Request, exc: DomainError) -> Response:
    errors = exc.errors if isinstance(exc, InvalidInput) else None
    return problem_response(status_of(exc), exc.detail, errors)


def handle_media_refused(_: Request, exc: MediaRefused) -> Response:
    return problem_response(exc.status, str(exc))


def handle_unstorable_text(_: Request, exc: Exception) -> Response:
    # PostgreSQL text cannot hold a NUL character; the transaction was rolled back.
    return problem_response(400, "Text may not contain NUL (zero) characters; nothing was saved.")


def handle_unexpected(request: Request, exc: Exception) -> Response:
    # Log the type, route and frames only: exception messages (a database
    # error quoting a value, say) can carry personal data.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error(
        "unhandled %s on %s %s\n%s", type(exc).__name__, request.method, request.url.path, frames
    )
    return problem_response(500, "Something went wrong on our side; nothing was saved.")


# A database that is restarting is usually back within seconds.
UNAVAILABLE_RETRY_AFTER = 5


def _is_page(request: Request) -> bool:
    """Whether the request is for a web page (HTML) rather than the JSON API or Open311."""
    return not request.url.path.startswith(("/api/", "/open311/"))


def handle_database_unavailable(request: Request, exc: Exception) -> Response:
    """503 while the database is down, restarting or out of connections; other errors of the
    same types are bugs, answered as such."""
    if not database_unavailable(exc):
        return handle_unexpected(request, exc)
    outage = request.app.state.get("db_outage")
    if outage is not None:
        outage.unavailable(exc)  # logs the outage once, not per request
    if _is_page(request):
        return unavailable_page(request, UNAVAILABLE_RETRY_AFTER)
    return problem_response(
        503,
        "The service cannot reach its database right now; try again in a few seconds.",
        headers={"Retry-After": str(UNAVAILABLE_RETRY_AFTER)},
    )


# An object store that failed is often back within a minute.
STORAGE_RETRY_AFTER = 30


def handle_storage_unavailable(request: Request, exc: StorageUnavailable) -> Response:
    logger.warning("the attachments' store failed (%s)", exc)  # the error's type only
    if _is_page(request):
        return unavailable_page(request, STORAGE_RETRY_AFTER)
    return problem_response(
        503,
        "Photos and documents cannot be stored or read right now; nothing was saved. "
        "Try again in a minute.",
        headers={"Retry-After": str(STORAGE_RETRY_AFTER)},
    )


def handle_too_many_exports(request: Request, exc: TooManyExports) -> Response:
    if _is_page(request):
        return exports_busy_page(request, exc.retry_after)
    return problem_response(
        429,
        f"{exc.limit} exports are running already; try again in a minute.",
        headers={"Retry-After": str(exc.retry_after)},
    )


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    HTTPException: handle_http_exception,
    DomainError: handle_domain_error,
    MediaRefused: handle_media_refused,
    asyncpg.CharacterNotInRepertoireError: handle_unstorable_text,
    asyncpg.UntranslatableCharacterError: handle_unstorable_text,  # \u0000 in a jsonb value
    # Where "the database is unavailable" comes from; service/outage.py says which of these
    # errors are that, and which are bugs.
    OSError: handle_database_unavailable,
    asyncpg.PostgresError: handle_database_unavailable,
    asyncpg.InterfaceError: handle_database_unavailable,
    asyncpg.InternalClientError: handle_database_unavailable,
    TooManyExports: handle_too_many_exports,
    StorageUnavailable: handle_storage_unavailable,
    Exception: handle_unexpected,
}
