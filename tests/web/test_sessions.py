"""Web sessions end after four idle hours, and twelve hours after signing in at the latest."""

from datetime import timedelta

from tests.web.session import sign_in

SESSIONS = "SELECT created_at, expires_at FROM api_tokens WHERE label = 'web session'"


async def test_each_page_view_moves_the_idle_end_on(world, conn):
    await sign_in(world.client, conn, world.who("inspector").id)
    await conn.execute(
        "UPDATE api_tokens SET expires_at = now() + interval '1 minute' WHERE label = 'web session'"
    )
    assert (await world.client.get("/work")).status_code == 200
    session = await conn.fetchrow(SESSIONS)
    now = await conn.fetchval("SELECT now()")
    assert timedelta(hours=3, minutes=59) < session["expires_at"] - now <= timedelta(hours=4)


async def test_no_session_outlives_twelve_hours(world, conn):
    await sign_in(world.client, conn, world.who("inspector").id)
    await conn.execute(
        "UPDATE api_tokens SET created_at = now() - interval '11 hours 50 minutes' "
        "WHERE label = 'web session'"
    )
    assert (await world.client.get("/work")).status_code == 200
    session = await conn.fetchrow(SESSIONS)
    assert session["expires_at"] == session["created_at"] + timedelta(hours=12)


async def test_an_idle_session_has_ended(world, conn):
    await sign_in(world.client, conn, world.who("inspector").id)
    await conn.execute(
        "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE label = 'web session'"
    )
    response = await world.client.get("/work", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fwork"
    # An ended session is not revived by using it.
    session = await conn.fetchrow(SESSIONS)
    assert session["expires_at"] < await conn.fetchval("SELECT now()")
