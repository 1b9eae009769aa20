"""Value types the API's areas share: a case reference in a path, a database id, a corporation."""

from typing import Annotated

import msgspec
from litestar.params import PathParameter

from service.domain.references import MAX_REFERENCE_LENGTH, REFERENCE_PATTERN

# Where the JSON API is mounted.
API_PATH = "/api/v1"

# PostgreSQL's bigint, the type of every id (users, corporations, homes). A larger number is
# no id of ours; checked here, it is a field error instead of PostgreSQL's DataError (a 500).
BIGINT_MAX = 2**63 - 1
DatabaseId = Annotated[int, msgspec.Meta(ge=1, le=BIGINT_MAX)]

# A case reference in a path, like SCH-2026-000042.
Reference = Annotated[
    str, PathParameter(pattern=REFERENCE_PATTERN, max_length=MAX_REFERENCE_LENGTH)
]


class CorporationRef(msgspec.Struct):
    code: str
    name: str
