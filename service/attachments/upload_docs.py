"""The uploads' request body in the OpenAPI document.

The upload routes read their multipart body themselves, after the caller's access is checked
(so nobody can make the service buffer 25 MB for a case they may not touch): Litestar cannot
see a body parameter to describe. These operation classes describe it.
"""

from dataclasses import dataclass

from litestar.openapi.spec import OpenAPIMediaType, Operation, Reference, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

_FILE = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
_TEXT = Schema(type=OpenAPIType.STRING)


def _multipart(properties: dict[str, Reference | Schema], description: str) -> RequestBody:
    schema = Schema(type=OpenAPIType.OBJECT, properties=properties, required=["file"])
    return RequestBody(
        content={"multipart/form-data": OpenAPIMediaType(schema=schema)},
        required=True,
        description=description,
    )


@dataclass
class TenantUploadOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _multipart({"file": _FILE}, "The photo, in the form field `file`.")


@dataclass
class StaffUploadOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = _multipart(
            {
                "file": _FILE,
                "title": Schema(type=OpenAPIType.STRING, max_length=200),
                "visible_to_tenant": Schema(type=OpenAPIType.STRING, enum=["true", "false"]),
                "finding_id": _TEXT,
                "damage_item": _TEXT,
            },
            "The photo or PDF in `file`; the other fields are optional.",
        )
