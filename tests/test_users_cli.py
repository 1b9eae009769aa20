"""Staff accounts on the command line: `python -m service users ...` and `tokens ...`.

Each command runs as a subprocess against the test database, as an administrator would
run it; the tokens it prints are then used against the API.
"""

import re
from pathlib import Path

import pytest

from service.auth.secrets import TOKEN_PREFIX, api_token_hash, hash_password, password_matches
from tests import factories
from tests.cli import run_cli, table_rows

REPO = Path(__file__).resolve().parent.parent
QUEUE = "/api/v1/cases"
ROLE_ERROR = "inspectors and managers need --corporation, coordinators and admins have none"


@pytest.fixture
async def cli(conn, database_url, tmp_path):
    """Run the CLI on an emptied database with Lefier in it; returns (code, stdout, stderr)."""
    await factories.corporation(conn, "lefier", "Lefier")

    async def run(*args: str) -> tuple[int, str, str]:
        return await run_cli(*args, database_url=database_url, data_dir=tmp_path)

    return run


async def add(cli, email: str, role: str, corporation: str | None = None, name: str = "Anna"):
    args = ["users", "add", "--email", email, "--name", name, "--role", role]
    if corporation is not None:
        args += ["--corporation", corporation]
    return await cli(*args)


def _no_traceback(stderr: str) -> None:
    assert "Traceback" not in stderr
    assert "asyncpg" not in stderr


async def test_users_of_every_role_are_added_and_listed(cli, conn):
    people = [
        ("inspector@lefier.nl", "inspector", "lefier"),
        ("manager@lefier.nl", "manager", "lefier"),
        ("coordinator@regio.nl", "coordinator", None),
        ("admin@regio.nl", "admin", None),
    ]
    for email, role, corporation in people:
        code, stdout, stderr = await add(cli, email, role, corporation, name=f"{role} person")
        assert code == 0, stderr
        user_id = await conn.fetchval("SELECT id FROM users WHERE email = $1", email)
        where = f" at {corporation}" if corporation else ""
        assert stdout.strip() == f"added {role} {email}{where} (id {user_id})"

    rows = await conn.fetch(
        "SELECT u.email, u.name, u.role, c.code, u.active, u.password_hash "
        "FROM users u LEFT JOIN corporations c ON c.id = u.corporation_id ORDER BY u.id"
    )
    assert [(r["email"], r["role"], r["code"]) for r in rows] == people
    assert all(r["active"] and r["password_hash"] is None for r in rows)
    assert rows[0]["name"] == "inspector person"

    code, stdout, stderr = await cli("users", "list")
    assert code == 0, stderr
    assert stdout.splitlines()[0].split() == [
        "id",
        "email",
        "role",
        "corporation",
        "tokens",
        "active",
        "muted",
        "name",
    ]
    listed = {row["email"]: row for row in table_rows(stdout)}
    assert set(listed) == {email for email, _, _ in people}
    for email, role, corporation in people:
        user = listed[email]
        assert (
            user["role"],
            user["corporation"],
            user["tokens"],
            user["active"],
            user["muted"],
            user["name"],
        ) == (role, corporation or "-", "0", "yes", "-", f"{role} person")


async def test_users_list_lines_up_its_columns_for_a_long_address_and_name(cli):
    long_email = "a.very.long.address.for.the.inspector@woningcorporatie-lefier-groningen.nl"
    long_name = "Anna Maria Johanna van der Heide-Oosterhuis"
    for email, name in (("ab@lefier.nl", "Ab"), (long_email, long_name)):
        code, _, stderr = await add(cli, email, "inspector", "lefier", name=name)
        assert code == 0, stderr

    code, stdout, stderr = await cli("users", "list")
    assert code == 0, stderr
    header, *lines = stdout.rstrip("\n").splitlines()
    # Every left-aligned value starts where its column's title starts, on every line.
    for column, value_of in (("email", 1), ("role", 2), ("corporation", 3), ("muted", 6)):
        start = header.index(column)
        for line in lines:
            assert line[start - 2 : start] == "  ", (column, line)
            assert line[start:].split()[0] == line.split()[value_of], (column, line)
    name_start = header.index("name")
    assert sorted(line[name_start:] for line in lines) == sorted(["Ab", long_name])
    # Right-aligned numbers end where their title ends.
    tokens_end = header.index("tokens") + len("tokens")
    assert all(line[tokens_end - 1] == "0" and line[tokens_end] == " " for line in lines)
    assert not any(line.endswith(" ") for line in [header, *lines])


async def test_an_email_is_stored_lower_case_and_trimmed(cli, conn):
    code, stdout, stderr = await add(cli, "  Inge.Inspecteur@Lefier.NL ", "inspector", "lefier")
    assert code == 0, stderr
    assert "inge.inspecteur@lefier.nl at lefier" in stdout
    assert await conn.fetchval("SELECT email FROM users") == "inge.inspecteur@lefier.nl"


@pytest.mark.parametrize(
    ("role", "corporation"),
    [("inspector", None), ("manager", None), ("coordinator", "lefier"), ("admin", "lefier")],
)
async def test_the_corporation_must_fit_the_role(cli, conn, role, corporation):
    code, stdout, stderr = await add(cli, f"{role}@example.nl", role, corporation)
    assert code == 1
    assert stdout == ""
    assert stderr.startswith("error: ")
    assert ROLE_ERROR in stderr
    _no_traceback(stderr)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_a_duplicate_email_is_refused(cli, conn):
    code, _, stderr = await add(cli, "anna@lefier.nl", "inspector", "lefier")
    assert code == 0, stderr
    for email in ("anna@lefier.nl", "ANNA@Lefier.nl"):
        code, stdout, stderr = await add(cli, email, "manager", "lefier")
        assert code == 1
        assert stdout == ""
        assert stderr.strip() == "error: a user with email anna@lefier.nl exists already"
        _no_traceback(stderr)
    assert await conn.fetchval("SELECT count(*) FROM users") == 1


async def test_an_unknown_corporation_is_refused(cli, conn):
    code, stdout, stderr = await add(cli, "anna@nowhere.nl", "inspector", "nowhere")
    assert code == 1
    assert stdout == ""
    assert stderr.strip() == "error: no corporation with code 'nowhere'"
    _no_traceback(stderr)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


@pytest.mark.parametrize(
    ("email", "name"), [("not-an-email", "Anna"), ("anna@lefier.nl", "   ")], ids=["email", "name"]
)
async def test_a_bad_email_or_name_is_refused_in_words(cli, conn, email, name):
    code, stdout, stderr = await add(cli, email, "inspector", "lefier", name=name)
    assert code == 1
    assert stdout == ""
    assert "the email must be an email address and the name 1 to 200 characters" in stderr
    _no_traceback(stderr)
    assert await conn.fetchval("SELECT count(*) FROM users") == 0


async def test_an_unknown_role_is_a_usage_error(cli):
    code, _, stderr = await add(cli, "anna@lefier.nl", "janitor", "lefier")
    assert code == 2  # argparse
    assert "invalid choice: 'janitor'" in stderr
    _no_traceback(stderr)


TOKEN_LINE = re.compile(r"^token (\d+) for (\S+) \(shown only now; store it safely\):$")


async def create_token(cli, email: str, *extra: str) -> tuple[int, str]:
    code, stdout, stderr = await cli("tokens", "create", email, *extra)
    assert code == 0, stderr
    first, token, *rest = stdout.splitlines()
    assert rest == []
    match = TOKEN_LINE.match(first)
    assert match, first
    assert match.group(2) == email.lower()
    return int(match.group(1)), token


async def test_tokens_are_shown_once_work_and_stop_when_revoked_or_deactivated(cli, conn, client):
    code, _, stderr = await add(cli, "inspector@lefier.nl", "inspector", "lefier")
    assert code == 0, stderr

    first_id, first = await create_token(cli, "Inspector@Lefier.nl", "--label", "laptop")
    second_id, second = await create_token(cli, "inspector@lefier.nl")
    assert first_id != second_id
    for token in (first, second):
        assert token.startswith(TOKEN_PREFIX)
        assert token.startswith("sct_")
        assert len(token) > 40
    assert first != second
    # Only hashes are stored; the label is kept.
    rows = await conn.fetch("SELECT id, token_hash, label FROM api_tokens ORDER BY id")
    assert [(r["id"], bytes(r["token_hash"]), r["label"]) for r in rows] == [
        (first_id, api_token_hash(first), "laptop"),
        (second_id, api_token_hash(second), ""),
    ]

    for token in (first, second):
        response = await client.get(QUEUE, headers=factories.bearer(token))
        assert response.status_code == 200, response.text
        assert response.json() == {"items": [], "next_cursor": None}

    code, stdout, stderr = await cli("users", "list")
    assert code == 0, stderr
    [user] = [row for row in table_rows(stdout) if row["email"] == "inspector@lefier.nl"]
    assert (user["tokens"], user["active"], user["muted"]) == ("2", "yes", "-")

    # Revoking the first token: it answers 401 at once, the other still works.
    code, stdout, stderr = await cli("tokens", "revoke", str(first_id))
    assert code == 0, stderr
    assert stdout.strip() == f"revoked token {first_id}"
    response = await client.get(QUEUE, headers=factories.bearer(first))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert (await client.get(QUEUE, headers=factories.bearer(second))).status_code == 200
    # Revoking again is harmless and keeps the first revocation time.
    revoked_at = await conn.fetchval("SELECT revoked_at FROM api_tokens WHERE id = $1", first_id)
    code, _, stderr = await cli("tokens", "revoke", str(first_id))
    assert code == 0, stderr
    assert (
        await conn.fetchval("SELECT revoked_at FROM api_tokens WHERE id = $1", first_id)
        == revoked_at
    )

    # Deactivating the user stops every token of theirs.
    code, stdout, stderr = await cli("users", "deactivate", "INSPECTOR@lefier.nl")
    assert code == 0, stderr
    assert stdout.strip() == "deactivated inspector@lefier.nl; its tokens no longer work"
    assert (await client.get(QUEUE, headers=factories.bearer(second))).status_code == 401
    code, stdout, stderr = await cli("users", "list")
    assert code == 0, stderr
    [user] = [row for row in table_rows(stdout) if row["email"] == "inspector@lefier.nl"]
    assert (user["tokens"], user["active"], user["muted"]) == ("1", "no", "-")

    # A deactivated user gets no new token.
    code, stdout, stderr = await cli("tokens", "create", "inspector@lefier.nl")
    assert code == 1
    assert stdout == ""
    assert stderr.strip() == "error: inspector@lefier.nl is deactivated"
    _no_traceback(stderr)
    assert await conn.fetchval("SELECT count(*) FROM api_tokens") == 2


async def test_a_region_wide_token_sees_every_case_and_a_corporation_token_its_own(cli, client):
    # A report of a home in no register: unrouted, for region-wide eyes only.
    unknown_home = factories.report_body(address={"postcode": "9999 ZZ", "house_number": 1})
    assert (await client.post("/api/v1/reports", json=unknown_home)).status_code == 201
    for email, role, corporation in (
        ("coordinator@regio.nl", "coordinator", None),
        ("manager@lefier.nl", "manager", "lefier"),
    ):
        code, _, stderr = await add(cli, email, role, corporation)
        assert code == 0, stderr
    _, coordinator = await create_token(cli, "coordinator@regio.nl")
    _, manager = await create_token(cli, "manager@lefier.nl")

    seen = (await client.get(QUEUE, headers=factories.bearer(coordinator))).json()["items"]
    assert [item["status"] for item in seen] == ["unrouted"]
    assert (await client.get(QUEUE, headers=factories.bearer(manager))).json()["items"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("tokens", "create", "nobody@lefier.nl"), "error: no user with email nobody@lefier.nl"),
        (("tokens", "revoke", "99999"), "error: no token with id 99999"),
        (("users", "deactivate", "nobody@lefier.nl"), "error: no user with email nobody@lefier.nl"),
    ],
    ids=["create", "revoke", "deactivate"],
)
async def test_an_unknown_user_or_token_is_an_error_in_words(cli, args, message):
    code, stdout, stderr = await cli(*args)
    assert code == 1
    assert stdout == ""
    assert stderr.strip() == message
    _no_traceback(stderr)


async def test_a_token_id_must_be_a_number(cli):
    code, _, stderr = await cli("tokens", "revoke", "first")
    assert code == 2
    assert "invalid int value: 'first'" in stderr
    _no_traceback(stderr)


# --password-prompt reads with getpass, which needs a terminal; the hashing it relies on:


def test_passwords_are_hashed_with_argon2_and_checked():
    stored = hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse battery" not in stored
    assert hash_password("correct horse battery") != stored  # salted
    assert password_matches("correct horse battery", stored)
    assert not password_matches("correct horse battery!", stored)
    assert not password_matches("", stored)
    assert not password_matches("correct horse battery", None)
    assert not password_matches("correct horse battery", "")
    assert not password_matches("correct horse battery", "not a hash")
