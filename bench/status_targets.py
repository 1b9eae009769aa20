"""The demo's sample cases as wrk targets for the tenant's status read (issue 15): a Lua table
of {reference, tracking token} for bench/wrk.lua's status mode and bench/cpu_per_request.py.

    python -m bench.status_targets DATABASE_URL SECRET_KEY > targets.lua

The tokens are the demo's (salt b"demo"), so the database is one `seed-demo` filled with the
same SECRET_KEY as the server's.
"""

import asyncio
import sys

from service import db
from service.demo.seed import DEMO_TOKEN_SALT
from service.reports.tokens import derived_tracking_token, token_matches


async def targets(database_url: str, secret_key: str) -> list[tuple[str, str]]:
    connection = await db.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT id, reference, tracking_token_hash FROM cases WHERE synthetic ORDER BY reference"
        )
    finally:
        await connection.close()
    found = []
    for row in rows:
        token = derived_tracking_token(secret_key, row["id"], DEMO_TOKEN_SALT)
        if token_matches(token, row["tracking_token_hash"]):
            found.append((row["reference"], token))
    return found


def main() -> int:
    database_url, secret_key = sys.argv[1:3]
    found = asyncio.run(targets(database_url, secret_key))
    if not found:
        print("no sample cases made with this SECRET_KEY", file=sys.stderr)
        return 1
    print("return {")
    for reference, token in found:
        print(f'  {{"{reference}", "{token}"}},')
    print("}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
