"""Uploading and reading attachments through the API, as a tenant or as staff."""

import io
from typing import Any

from httpx import Response
from litestar.testing import AsyncTestClient
from PIL import Image

from tests.world import Person


def tenant_headers(report: dict[str, Any], token: str | None = None) -> dict[str, str]:
    return {"X-Tracking-Token": token if token is not None else report["tracking_token"]}


async def tenant_upload(
    client: AsyncTestClient,
    report: dict[str, Any],
    data: bytes,
    *,
    name: str = "IMG_0042.jpg",
    content_type: str = "image/jpeg",
    token: str | None = None,
) -> Response:
    return await client.post(
        f"/api/v1/reports/{report['reference']}/attachments",
        files={"file": (name, data, content_type)},
        headers=tenant_headers(report, token),
    )


async def staff_upload(
    client: AsyncTestClient,
    reference: str,
    person: Person,
    data: bytes,
    *,
    name: str = "foto.jpg",
    content_type: str = "application/octet-stream",
    **fields: str,
) -> Response:
    return await client.post(
        f"/api/v1/cases/{reference}/attachments",
        files={"file": (name, data, content_type)},
        data=fields,
        headers=person.headers,
    )


async def tenant_view(client: AsyncTestClient, report: dict[str, Any]) -> dict[str, Any]:
    answer = await client.get(
        f"/api/v1/reports/{report['reference']}", headers=tenant_headers(report)
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def image_of(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image
