"""The history stays append-only (migration 0017): only anonymising rewrites it, only the
events' data, and only of the case it names in the transaction."""

import asyncpg
import pytest

from tests.world import World


async def test_only_the_named_case_data_may_change(world: World, conn: asyncpg.Connection):
    first = (await world.report())["reference"]
    second = (await world.report())["reference"]
    ids = {
        ref: await conn.fetchval("SELECT id FROM cases WHERE reference = $1", ref)
        for ref in (first, second)
    }
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("UPDATE case_events SET data = '{}' WHERE case_id = $1", ids[first])
    async with conn.transaction():
        await conn.execute(
            "SELECT set_config('service.anonymising_case', $1, true)", str(ids[first])
        )
        await conn.execute("UPDATE case_events SET data = '{}' WHERE case_id = $1", ids[first])
        for forbidden in (
            "UPDATE case_events SET data = '{}' WHERE case_id = $1",  # another case
            "DELETE FROM case_events WHERE case_id = $1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                async with conn.transaction():
                    await conn.execute(forbidden, ids[second])
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            async with conn.transaction():
                await conn.execute(
                    "UPDATE case_events SET kind = 'note' WHERE case_id = $1", ids[first]
                )
    # The setting ends with the transaction.
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("UPDATE case_events SET data = '{}' WHERE case_id = $1", ids[first])
