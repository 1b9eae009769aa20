"""Value types the API's areas share: a case reference in a path, a corporation named."""

from typing import Annotated

import msgspec
from litestar.params import PathParameter

from service.domain.references import MAX_REFERENCE_LENGTH, REFERENCE_PATTERN

# A case reference in a path, like SCH-2026-000042.
Reference = Annotated[
    str, PathParameter(pattern=REFERENCE_PATTERN, max_length=MAX_REFERENCE_LENGTH)
]


class CorporationRef(msgspec.Struct):
    code: str
    name: str
