"""bench/cpu_per_request.py reads the demo's sample cases through the service and its floor."""

import msgspec

from bench.cpu_per_request import measure, read_targets
from bench.status_targets import targets
from service import db
from service.demo.seed import seed_demo
from service.settings import Settings


async def test_it_measures_each_way_of_reading_the_status(make_database, settings, tmp_path):
    url = await make_database()
    connection = await db.connect(url)
    try:
        await db.migrate(connection)
        await seed_demo(connection, settings.secret_key)
    finally:
        await connection.close()
    found = await targets(url, settings.secret_key)
    listed = tmp_path / "targets.lua"
    listed.write_text(
        "return {\n" + "".join(f'  {{"{ref}", "{token}"}},\n' for ref, token in found) + "}\n"
    )
    assert read_targets(listed) == found
    own: Settings = msgspec.structs.replace(settings, database_url=url)
    for how in ("api", "page", "floor"):
        # Each request must answer 200 (measure raises otherwise) and cost some CPU.
        assert await measure(own, how, found, 32) > 0
