"""The scope matrix (roles in service/domain/roles.py): every staff endpoint x every role x whose case.

Callers are the inspector and the manager of Lefier, the region-wide coordinator and the
admin. The case is Lefier's ("own"), Acantus's ("other") or not routed yet ("unrouted").
EXPECTED_TABLE says, per endpoint, the status code each caller gets for each kind of case.
Every request is otherwise valid, so scope and role are the only reasons for a refusal; a
refusal changes nothing and tells nothing of the case. Without a valid token (none, a
revoked one, or one of a deactivated user) every endpoint answers 401.

All tests here share one world (built once for the module, for speed); each combination
files fresh cases of its own, so no test depends on another's changes.
"""

import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from httpx import Response
from litestar.testing import AsyncTestClient

from service.app import create_app
from service.auth import store as auth_store
from service.settings import Settings
from tests import factories
from tests.conftest import empty_database
from tests.factories import bearer, if_match
from tests.world import OTHER_HOME, OWN_HOME, UNKNOWN_HOME, Person, World, build_world

ROLES = ("inspector", "manager", "coordinator", "admin")  # inspector and manager of Lefier
CORPORATION_ROLES = ("inspector", "manager")
WHOSE = ("own", "other", "unrouted")
HOMES = {"own": OWN_HOME, "other": OTHER_HOME, "unrouted": UNKNOWN_HOME}
CORPORATION = {"own": "lefier", "other": "acantus", "unrouted": None}
POSTCODES = {
    "own": ("9711AB", "9711 AB"),
    "other": ("9601AA", "9601 AA"),
    "unrouted": ("9999ZZ", "9999 ZZ"),
}
# The register's street of each corporation's home, made distinct so a leak would show.
STREETS = {"own": "Lefierstraat", "other": "Acantuslaan"}
NO_SUCH_CASE = "SCH-2000-999999"
CASES = "/api/v1/cases"

# What each caller gets, as (own case, other corporation's case, unrouted case).
#                      inspector        manager          coordinator      admin
EXPECTED_TABLE: dict[str, tuple[tuple[int, int, int], ...]] = {
    "show":            ((200, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200)),
    "events":          ((200, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200)),
    "similar":         ((200, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200)),
    "transition":      ((200, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200)),
    "assign_self":     ((200, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200)),
    "assign_other":    ((403, 404, 404), (200, 404, 404), (200, 200, 200), (200, 200, 200)),
    # A role that may never transfer or route is refused before the case is looked up:
    # the same 403 for any reference, so it tells nothing of the case either.
    "transfer":        ((403, 403, 403), (200, 404, 404), (200, 200, 409), (200, 200, 409)),
    "route":           ((403, 403, 403), (403, 403, 403), (409, 409, 200), (409, 409, 200)),
    "note":            ((201, 404, 404), (201, 404, 404), (201, 201, 201), (201, 201, 201)),
    "findings":        ((201, 404, 404), (201, 404, 404), (201, 201, 409), (201, 201, 409)),
    # REGION_WIDE_MOVES. An unrouted case is never resolved or closed: there it is a 409.
    "close_resolved":  ((403, 404, 404), (403, 404, 404), (200, 200, 409), (200, 200, 409)),
    "reopen_closed":   ((403, 404, 404), (403, 404, 404), (200, 200, 409), (200, 200, 409)),
    # A rejected unrouted case has no corporation to work it: reopen it only once routed.
    "reopen_rejected": ((403, 404, 404), (403, 404, 404), (200, 200, 409), (200, 200, 409)),
}  # fmt: skip
EXPECTED: dict[tuple[str, str, str], int] = {
    (endpoint, role, whose): codes[r][w]
    for endpoint, codes in EXPECTED_TABLE.items()
    for r, role in enumerate(ROLES)
    for w, whose in enumerate(WHOSE)
}


# --- One world for the module: Lefier, Acantus, their staff, and the region's ------------


@dataclass
class Region:
    world: World
    bad_headers: dict[str, dict[str, str]]  # credentials that must not work, by kind


@pytest.fixture(scope="module")
async def region(pool: asyncpg.Pool, settings: Settings) -> AsyncIterator[Region]:
    async with pool.acquire() as connection:
        await empty_database(connection)
        async with AsyncTestClient(create_app(settings)) as client:
            world = await build_world(connection, client)
            for whose, street in STREETS.items():
                await connection.execute(
                    "UPDATE addresses SET street = $1 WHERE postcode = $2",
                    street,
                    POSTCODES[whose][0],
                )
            yield Region(world, await _bad_headers(world, connection))


async def _bad_headers(world: World, conn: asyncpg.Connection) -> dict[str, dict[str, str]]:
    """A revoked token of an admin and a deactivated coordinator's token; both worked once."""
    revoked_id = await factories.user(conn, "admin", email="revoked.admin@example.nl")
    revoked = await factories.api_token(conn, revoked_id)
    gone_id = await factories.user(conn, "coordinator", email="gone.coordinator@example.nl")
    gone = await factories.api_token(conn, gone_id)
    for token in (revoked, gone):
        assert (await world.client.get(CASES, headers=bearer(token))).status_code == 200
    token_id = await conn.fetchval("SELECT id FROM api_tokens WHERE user_id = $1", revoked_id)
    await auth_store.revoke_token(conn, token_id)
    await auth_store.deactivate_user(conn, "gone.coordinator@example.nl")
    return {"no token": {}, "revoked token": bearer(revoked), "deactivated user": bearer(gone)}


@pytest.fixture
def world(region: Region) -> World:
    return region.world


# --- Cases with details of their own, so a leak of any of them would show ----------------


@dataclass
class Case:
    whose: str
    reference: str
    description: str
    reporter_name: str
    reporter_email: str
    reporter_phone: str
    version: int = 1

    def own_traces(self) -> list[str]:
        """What only this case has: its reference, description and reporter."""
        return [
            self.reference,
            self.description,
            self.reporter_name,
            self.reporter_email,
            self.reporter_phone,
        ]

    def traces(self) -> list[str]:
        """What a body that must not show this case may not contain: also where it is."""
        street = [STREETS[self.whose]] if self.whose in STREETS else []  # unrouted: none
        return [*self.own_traces(), *POSTCODES[self.whose], *street]


_serial = itertools.count(1)


async def file_case(world: World, whose: str, home: dict[str, Any] | None = None) -> Case:
    n = next(_serial)
    tag = f"{whose}{n:04d}"
    description = f"Scheur in de gevel boven het keukenraam, kenmerk {tag}."
    name, email, phone = f"Huurder {tag.title()}", f"huurder.{tag}@example.nl", f"050{n:07d}"
    created = await world.report(
        home or HOMES[whose],
        description=description,
        reporter={"name": name, "email": email, "phone": phone, "language": "nl"},
    )
    assert created["status"] == ("unrouted" if whose == "unrouted" else "new")
    version = (await world.case(created["reference"], world.who("admin")))["version"]
    return Case(whose, created["reference"], description, name, email, phone, version)


def assert_shows_nothing_of(case: Case, response: Response) -> None:
    for trace in case.traces():
        assert trace not in response.text, f"{trace!r} shows in {response.text}"


# --- Bringing a case into the state a row needs, as admin --------------------------------


async def _admin_post(world: World, case: Case, path: str, body: dict[str, Any]) -> None:
    response = await world.client.post(
        f"{CASES}/{case.reference}/{path}",
        json=body,
        headers={**world.who("admin").headers, **if_match(case.version)},
    )
    assert response.status_code in (200, 201), response.text
    case.version = response.json()["version"]


async def bring_to(world: World, case: Case, state: str) -> None:
    """Move a routed case on to state; an unrouted case stays unrouted, or is rejected."""
    if state == "rejected":
        await _admin_post(world, case, "transitions", {"to": "rejected", "reason": "not_damage"})
        return
    if state == "new" or case.whose == "unrouted":
        return
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    await _admin_post(world, case, "transitions", {"to": "acknowledged"})
    await _admin_post(
        world, case, "transitions", {"to": "inspection_planned", "planned_at": tomorrow}
    )
    if state == "inspection_planned":
        return
    findings = {
        "items": [{"location": "keuken", "kind": "scheur", "damage_class": 2}],
        "acute": False,
        "earthquake_cause": "likely",
    }
    await _admin_post(world, case, "findings", findings)
    await _admin_post(world, case, "transitions", {"to": "resolved"})
    if state == "closed":
        await _admin_post(world, case, "transitions", {"to": "closed"})


# --- The endpoints: method, path, the state the case needs, and a valid body -------------

Body = Callable[[World, Person, str], dict[str, Any] | None]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # after /api/v1/cases/{reference}
    state: str = "new"
    body: Body = lambda world, caller, whose: None

    @property
    def changes(self) -> bool:
        return self.method != "GET"


def _someone_else(world: World, caller: Person, whose: str) -> int:
    """Another user who may hold the case, so only the caller's role can stand in the way."""
    if whose == "unrouted":  # only region-wide staff may hold a case without a corporation
        return world.who("coordinator" if caller.role == "admin" else "admin").id
    colleague = world.who("inspector", CORPORATION[whose])
    return world.who("manager", "lefier").id if colleague.id == caller.id else colleague.id


def _transition(world: World, caller: Person, whose: str) -> dict[str, Any]:
    if whose == "unrouted":  # all a transition can do with an unrouted case
        return {"to": "rejected", "reason": "not_damage"}
    return {"to": "acknowledged"}


def _transfer(world: World, caller: Person, whose: str) -> dict[str, Any]:
    target = "lefier" if whose == "other" else "acantus"
    return {"corporation": target, "reason": "Het adres hoort bij de andere corporatie."}


REOPEN = {"to": "acknowledged", "reason": "De scheur is teruggekomen."}
ENDPOINTS: dict[str, Endpoint] = {
    "show": Endpoint("GET", ""),
    "events": Endpoint("GET", "/events"),
    "similar": Endpoint("GET", "/similar"),
    "transition": Endpoint("POST", "/transitions", body=_transition),
    "assign_self": Endpoint("PUT", "/assignee", body=lambda w, c, _: {"assignee_id": c.id}),
    "assign_other": Endpoint(
        "PUT", "/assignee", body=lambda w, c, whose: {"assignee_id": _someone_else(w, c, whose)}
    ),
    "transfer": Endpoint("POST", "/transfer", body=_transfer),
    "route": Endpoint("POST", "/route", body=lambda w, c, _: {"corporation": "lefier"}),
    "note": Endpoint(
        "POST",
        "/notes",
        body=lambda w, c, _: {"text": "Huurder gebeld, niet thuis.", "visibility": "internal"},
    ),
    "findings": Endpoint(
        "POST",
        "/findings",
        state="inspection_planned",
        body=lambda w, c, _: {
            "items": [{"location": "woonkamer", "kind": "scheur", "damage_class": 1}],
            "acute": False,
            "earthquake_cause": "unknown",
        },
    ),
    "close_resolved": Endpoint(
        "POST", "/transitions", state="resolved", body=lambda w, c, _: {"to": "closed"}
    ),
    "reopen_closed": Endpoint(
        "POST", "/transitions", state="closed", body=lambda w, c, _: dict(REOPEN)
    ),
    "reopen_rejected": Endpoint(
        "POST", "/transitions", state="rejected", body=lambda w, c, _: dict(REOPEN)
    ),
}
assert set(ENDPOINTS) == set(EXPECTED_TABLE)


async def call(
    world: World,
    endpoint: Endpoint,
    reference: str,
    headers: dict[str, str],
    body: dict[str, Any] | None,
    version: int,
) -> Response:
    if endpoint.changes:
        headers = {**headers, **if_match(version)}
    return await world.client.request(
        endpoint.method, f"{CASES}/{reference}{endpoint.path}", json=body, headers=headers
    )


def assert_contact(case: Case, role: str, detail: dict[str, Any], text: str) -> None:
    """Permission.SEE_CONTACT: all but the admin see the reporter's contact in full."""
    reporter = detail["reporter"]
    if role == "admin":
        assert reporter["masked"] is True
        for secret in (case.reporter_name, case.reporter_email, case.reporter_phone):
            assert secret not in text
        assert reporter["email"] == f"h…@{case.reporter_email.partition('@')[2]}"
    else:
        assert reporter["masked"] is False
        assert (reporter["name"], reporter["email"], reporter["phone"]) == (
            case.reporter_name,
            case.reporter_email,
            case.reporter_phone,
        )


# --- The matrix --------------------------------------------------------------------------


def _param(endpoint: str, role: str, whose: str) -> Any:
    code = EXPECTED[endpoint, role, whose]
    return pytest.param(endpoint, role, whose, code, id=f"{endpoint}-{role}-{whose}-{code}")


@pytest.mark.parametrize(("endpoint", "role", "whose", "expected"), [_param(*k) for k in EXPECTED])
async def test_scope_matrix(world: World, endpoint: str, role: str, whose: str, expected: int):
    spec, admin, caller = ENDPOINTS[endpoint], world.who("admin"), world.who(role)
    case = await file_case(world, whose)
    await bring_to(world, case, spec.state)
    body = spec.body(world, caller, whose)

    response = await call(world, spec, case.reference, caller.headers, body, case.version)

    assert response.status_code == expected, response.text
    after = await world.case(case.reference, admin)
    if expected >= 400:
        assert_shows_nothing_of(case, response)
        assert after["version"] == case.version, "a refused change changed the case"
        if whose != "own" and role in CORPORATION_ROLES:
            # Not a word more than for a reference that does not exist.
            unknown = await call(world, spec, NO_SUCH_CASE, caller.headers, body, 1)
            assert (unknown.status_code, unknown.json()) == (expected, response.json())
        return

    answer = response.json()
    if endpoint == "events":
        assert answer[0]["kind"] == "reported"
        return
    if endpoint == "similar":
        assert set(answer) == {"same_address", "same_postcode"}
        return
    if endpoint == "transfer":
        target = body["corporation"]  # type: ignore[index]
        assert answer["corporation"]["code"] == after["corporation"]["code"] == target
        if role in CORPORATION_ROLES:  # what went to Acantus is out of Lefier's sight now
            gone = await world.client.get(f"{CASES}/{case.reference}", headers=caller.headers)
            assert gone.status_code == 404
        return
    # Everything else answers the case as the caller now sees it.
    assert answer["reference"] == case.reference
    assert response.headers["etag"] == f'"{answer["version"]}"'
    assert_contact(case, role, answer, response.text)
    if role in CORPORATION_ROLES:
        assert answer["corporation"]["code"] == "lefier"
    if endpoint == "show":
        assert answer["description"] == case.description
        assert answer["version"] == after["version"] == case.version
        return
    assert answer["version"] == after["version"] > case.version
    if endpoint in ("assign_self", "assign_other"):
        assert after["assignee"]["id"] == body["assignee_id"]  # type: ignore[index]
    elif endpoint == "route":
        assert (after["status"], after["corporation"]["code"]) == ("new", "lefier")
    elif endpoint == "findings":
        assert after["status"] == "inspected"
    elif endpoint == "note":
        events = await world.client.get(f"{CASES}/{case.reference}/events", headers=admin.headers)
        assert events.json()[-1]["data"] == body
    else:  # a transition
        assert after["status"] == body["to"]  # type: ignore[index]


# --- No valid token: 401 everywhere, whatever the case -----------------------------------

CREDENTIALS = ("no token", "revoked token", "deactivated user")


@pytest.mark.parametrize("endpoint", ["list", *ENDPOINTS])
async def test_no_valid_token_is_401_everywhere(region: Region, endpoint: str):
    world, admin = region.world, region.world.who("admin")
    cases = [await file_case(world, whose) for whose in WHOSE]
    if endpoint == "list":
        for credential in CREDENTIALS:
            response = await world.client.get(CASES, headers=region.bad_headers[credential])
            assert response.status_code == 401, (credential, response.text)
            assert "www-authenticate" in response.headers
            for case in cases:
                assert_shows_nothing_of(case, response)
        return
    spec = ENDPOINTS[endpoint]
    for case in cases:
        await bring_to(world, case, spec.state)
        body = spec.body(world, admin, case.whose)  # a body the admin could send
        for credential in CREDENTIALS:
            headers = region.bad_headers[credential]
            response = await call(world, spec, case.reference, headers, body, case.version)
            assert response.status_code == 401, (credential, case.whose, response.text)
            assert "www-authenticate" in response.headers
            assert_shows_nothing_of(case, response)
        assert (await world.case(case.reference, admin))["version"] == case.version


# --- The work queue and the duplicates list show only the caller's scope -----------------


def _references(response: Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["reference"] for item in response.json()["items"]]


@pytest.mark.parametrize("role", ROLES)
async def test_the_queue_lists_only_the_callers_scope(world: World, role: str):
    caller = world.who(role)
    cases = [await file_case(world, whose) for whose in (*WHOSE, *WHOSE)]
    for case in cases[3:]:  # one of each moved on, so not only new cases are listed
        await bring_to(world, case, "rejected" if case.whose == "unrouted" else "closed")
    region_wide = role not in CORPORATION_ROLES
    visible = [c for c in cases if region_wide or c.whose == "own"]
    hidden = [c for c in cases if c not in visible]

    # Region-wide queues are longer than a page; the newest come first.
    params = {"limit": 200, "sort": "-reported" if region_wide else "deadline"}
    response = await world.client.get(CASES, params=params, headers=caller.headers)
    listed = _references(response)
    assert {c.reference for c in visible} <= set(listed)
    if not region_wide:
        assert response.json()["next_cursor"] is None  # all of Lefier's queue
        assert {i["corporation"]["code"] for i in response.json()["items"]} == {"lefier"}
        for case in hidden:
            # Not its postcode or street: cases transferred or routed to Lefier share them.
            for trace in case.own_traces():
                assert trace not in response.text

    # Filtering or searching for what lies outside the scope finds nothing.
    searches: dict[str, dict[str, Any]] = {
        "acantus": {"corporation": "acantus"},
        "unrouted": {"status": "unrouted"},
        **{c.whose + " by reference": {"q": c.reference} for c in cases[:3]},
    }
    for name, search in searches.items():
        response = await world.client.get(
            CASES, params={**search, "limit": 200}, headers=caller.headers
        )
        found = _references(response)
        if not region_wide and name != "own by reference":
            assert found == [], name
            for case in hidden:
                for trace in case.own_traces():
                    assert trace not in response.text
        elif name.endswith("by reference"):
            assert found == [cases[WHOSE.index(name.split()[0])].reference], name
        else:
            items = response.json()["items"]
            assert {c.reference for c in cases[:3] if c.whose == name} <= set(found)
            if name == "acantus":
                assert {i["corporation"]["code"] for i in items} == {"acantus"}
            else:
                assert {i["status"] for i in items} == {"unrouted"}


@pytest.mark.parametrize("role", CORPORATION_ROLES)
async def test_every_page_of_the_queue_stays_in_scope(world: World, role: str):
    caller = world.who(role)
    hidden = [await file_case(world, whose) for whose in ("other", "unrouted")]
    for _ in range(4):  # more than a page of Lefier's cases, however few the world has
        await file_case(world, "own")
    seen, after = [], None
    while True:
        params = {"limit": 3} | ({"after": after} if after else {})
        response = await world.client.get(CASES, params=params, headers=caller.headers)
        seen += _references(response)
        assert {i["corporation"]["code"] for i in response.json()["items"]} <= {"lefier"}
        for case in hidden:
            assert case.reference not in response.text
        after = response.json()["next_cursor"]
        if after is None:
            break
    first = await world.client.get(CASES, params={"limit": 200}, headers=caller.headers)
    assert seen == _references(first)


@pytest.mark.parametrize("role", ROLES)
async def test_similar_cases_stay_within_the_callers_scope(
    world: World, pool: asyncpg.Pool, role: str
):
    """Acantus owns a home in a postcode of Lefier's, and a neighbour's report is unrouted."""
    postcode = f"97{20 + ROLES.index(role)}AA"  # each role its own street, as the world is shared
    lefier, acantus = world.corporations["lefier"], world.corporations["acantus"]
    async with pool.acquire() as conn:
        await factories.home(conn, lefier, postcode, 1, street="Dorpsweg")
        await factories.home(conn, acantus, postcode, 2, street="Grensweg")
    own = await file_case(world, "own", {"postcode": postcode, "house_number": 1})
    same_home = await file_case(world, "own", {"postcode": postcode, "house_number": 1})
    neighbours = [
        await file_case(world, "other", {"postcode": postcode, "house_number": 2}),
        await file_case(world, "unrouted", {"postcode": postcode, "house_number": 3}),
    ]

    response = await world.client.get(
        f"{CASES}/{own.reference}/similar", headers=world.who(role).headers
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert [c["reference"] for c in answer["same_address"]] == [same_home.reference]
    listed = sorted(c["reference"] for c in answer["same_postcode"])
    if role in CORPORATION_ROLES:
        assert listed == []
        for case in neighbours:
            assert case.reference not in response.text
        assert "Grensweg" not in response.text
    else:
        assert listed == sorted(c.reference for c in neighbours)
