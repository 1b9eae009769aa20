"""Attachments answer as their case does: every endpoint x role x whose case, and the tenant.

The staff endpoints (list, add, file, thumbnail, remove) for the inspector and manager of
Lefier, the coordinator and the admin, on Lefier's case ("own"), Acantus's ("other") and an
unrouted one; without valid credentials every one answers 401. The tenant's endpoints with
the right token, a wrong one, none, and another case's token.
"""

from typing import Any

import pytest
from httpx import Response

from tests.api import test_scope_matrix as matrix
from tests.api.test_scope_matrix import ROLES, WHOSE, Region, assert_shows_nothing_of, file_case
from tests.attachments.images import jpeg_with_gps_and_orientation
from tests.attachments.uploading import staff_upload, tenant_upload
from tests.world import World

# The scope matrix's world, built once for the module: Lefier, Acantus and their staff.
region = matrix.region
world = matrix.world
PHOTO = jpeg_with_gps_and_orientation(width=64, height=48)
# (own case, other corporation's case, unrouted case) for inspector, manager, coordinator,
# admin: the same as reading and noting on the case itself (tests/api/test_scope_matrix.py).
READ = ((200, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200))
EXPECTED_TABLE: dict[str, tuple[tuple[int, int, int], ...]] = {
    "list": READ,
    "add": ((201, 404, 404), (201, 404, 404), (201, 201, 201), (201, 201, 201)),
    "file": READ,
    "thumbnail": READ,
    "remove": ((204, 404, 404), (204, 404, 404), (204, 204, 204), (204, 204, 204)),
}


def _params() -> list[Any]:
    return [
        pytest.param(endpoint, role, whose, codes[r][w], id=f"{endpoint}-{role}-{whose}")
        for endpoint, codes in EXPECTED_TABLE.items()
        for r, role in enumerate(ROLES)
        for w, whose in enumerate(WHOSE)
    ]


async def _call(world: World, endpoint: str, reference: str, attachment: str, headers) -> Response:
    base = f"/api/v1/cases/{reference}/attachments"
    client = world.client
    match endpoint:
        case "list":
            return await client.get(base, headers=headers)
        case "add":
            files = {"file": ("scheur.jpg", PHOTO, "image/jpeg")}
            return await client.post(base, files=files, headers=headers)
        case "file":
            return await client.get(f"{base}/{attachment}", headers=headers)
        case "thumbnail":
            return await client.get(f"{base}/{attachment}?size=thumbnail", headers=headers)
        case "remove":
            return await client.delete(f"{base}/{attachment}", headers=headers)
    raise AssertionError(endpoint)


async def _case_with_photo(world: World, whose: str) -> tuple[Any, str]:
    case = await file_case(world, whose)
    added = await staff_upload(world.client, case.reference, world.who("admin"), PHOTO)
    assert added.status_code == 201, added.text
    return case, added.json()["id"]


@pytest.mark.parametrize(("endpoint", "role", "whose", "expected"), _params())
async def test_staff_attachment_scope(
    world: World, endpoint: str, role: str, whose: str, expected: int
):
    case, attachment = await _case_with_photo(world, whose)
    answer = await _call(world, endpoint, case.reference, attachment, world.who(role).headers)
    assert answer.status_code == expected, answer.text
    listed = await _call(world, "list", case.reference, attachment, world.who("admin").headers)
    ids = [item["id"] for item in listed.json()]
    if expected == 404:
        assert_shows_nothing_of(case, answer)
        assert attachment not in answer.text
        assert ids == [attachment]  # a refusal changes nothing
    elif endpoint == "add":
        assert len(ids) == 2
    elif endpoint == "remove":
        assert ids == []
    if endpoint == "file" and expected == 200:
        assert answer.headers["content-type"] == "image/jpeg"


@pytest.mark.parametrize("endpoint", list(EXPECTED_TABLE))
async def test_without_valid_credentials_every_attachment_endpoint_answers_401(
    world: World, region: Region, endpoint: str
):
    case, attachment = await _case_with_photo(world, "own")
    for kind, headers in region.bad_headers.items():
        answer = await _call(world, endpoint, case.reference, attachment, headers)
        assert answer.status_code == 401, (kind, answer.text)


async def test_the_tenant_reaches_attachments_with_the_case_s_own_token_only(world: World):
    mine = await world.report()
    theirs = await world.report()
    added = await tenant_upload(world.client, mine, PHOTO)
    assert added.status_code == 201, added.text
    url = added.json()["url"]
    assert (
        await world.client.get(url, headers={"X-Tracking-Token": mine["tracking_token"]})
    ).status_code == 200

    for token in ("", "wrong-token", theirs["tracking_token"]):
        headers = {"X-Tracking-Token": token} if token else {}
        for answer in (
            await world.client.get(url, headers=headers),
            await world.client.get(f"{url}?size=thumbnail", headers=headers),
            await world.client.delete(url, headers=headers),
            await tenant_upload(world.client, mine, PHOTO, token=token),
        ):
            assert answer.status_code == 404, answer.text
            assert answer.json()["detail"] == "No report with this reference and tracking token."
    # Another case's attachment through one's own case: as unknown as any other id.
    other_url = url.replace(mine["reference"], theirs["reference"])
    answer = await world.client.get(
        other_url, headers={"X-Tracking-Token": theirs["tracking_token"]}
    )
    assert answer.status_code == 404
    view = await world.client.get(
        f"/api/v1/reports/{mine['reference']}", headers={"X-Tracking-Token": mine["tracking_token"]}
    )
    assert len(view.json()["attachments"]) == 1  # nothing was removed or added
