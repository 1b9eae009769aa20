"""JSON and XML of Open311 GeoReport v2, both from the same Structs, and the spec's error
array: `[{"code": 400, "description": "..."}]`, `<errors><error>...`."""

import re
import xml.etree.ElementTree as ET
from enum import StrEnum
from typing import Any

import msgspec
from litestar import Response

from service.open311.schemas import SpecError


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


# Litestar adds the charset to a text/ type itself.
MEDIA_TYPES = {Format.JSON: "application/json; charset=utf-8", Format.XML: "text/xml"}
# The element of each item of a list, by the list's name.
LIST_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}
# Characters XML 1.0 cannot hold, even escaped; a description typed with them loses them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Open311Error(Exception):
    """An answer of the spec's error array with this HTTP status."""

    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


def split_document(name: str) -> tuple[str, Format]:
    """ "services.json" -> ("services", JSON); a name without .json or .xml answers 404."""
    stem, dot, extension = name.rpartition(".")
    if not dot or extension not in (Format.JSON, Format.XML):
        raise Open311Error(404, "Add .json or .xml to the address, like services.json.")
    return stem, Format(extension)


def format_of_path(path: str) -> Format:
    return Format.XML if path.endswith(".xml") else Format.JSON


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, list):
        item_name = LIST_ITEMS[element.tag]
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    elif isinstance(value, dict):
        for name, item in value.items():
            _fill(ET.SubElement(element, name), item)
    elif value is not None:
        element.text = _text(value)


def xml_document(root: str, body: Any) -> bytes:
    element = ET.Element(root)
    _fill(element, msgspec.to_builtins(body))
    text = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}'.encode()


def answer(
    root: str,
    body: Any,
    form: Format,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    """The body in the format asked for; root names the XML document's element."""
    content = (
        msgspec.json.encode(msgspec.to_builtins(body))
        if form is Format.JSON
        else xml_document(root, body)
    )
    return Response(
        content,
        status_code=status,
        media_type=MEDIA_TYPES[form],
        headers=headers,
    )


def error_answer(
    status: int,
    descriptions: list[str] | tuple[str, ...],
    form: Format,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    errors = [SpecError(status, description) for description in descriptions]
    return answer("errors", errors, form, status, headers)
