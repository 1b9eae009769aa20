"""What `serve` does to the database before it starts the server: migrate, seed the demo, and
say how to open the demo (a sample tracking link, the demo staff's tokens and password).

`serve` runs this in a child process of its own. Seeding needs the demo data, the image
library and object storage; imported by the process that then supervises uvicorn's workers,
they would stay in its memory (about 25 MB) for as long as it serves, unused.
"""

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from service import db
from service.settings import Settings


def prepare_in_child(settings: Settings, url: str, base_url: str, seed_demo: bool) -> list[str]:
    """prepare(), in a fresh interpreter (spawned: a fork would copy this one's memory)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
        return child.submit(prepare, settings, url, base_url, seed_demo).result()


def prepare(settings: Settings, url: str, base_url: str, seed_demo: bool) -> list[str]:
    """Migrate, seed the demo if asked and the database is empty; the lines that tell how to
    open the demo (none without demo data)."""
    # Imported here, in the child: the reason it is one.
    from service.attachments.storage import open_storage
    from service.demo.seed import demo_staff_tokens, demo_tracking_link, seed_demo_if_empty
    from service.demo.staff import TOKEN_HOLDERS, demo_password

    async def run() -> tuple[str | None, dict[str, str]]:
        connection = await db.reach(url)
        try:
            await db.migrate(connection)
            if seed_demo:
                storage = open_storage(settings.attachments_url, settings.data_dir)
                await seed_demo_if_empty(connection, settings.secret_key, storage=storage)
            return (
                await demo_tracking_link(connection, settings.secret_key, base_url),
                await demo_staff_tokens(connection, settings.secret_key),
            )
        finally:
            await connection.close()

    link, tokens = asyncio.run(run())
    lines = [f"Sample tracking link: {link}"] if link else []
    if tokens:
        # Demo accounts only: their tokens and password derive from this install's secret.
        lines.append("Demo staff API tokens (Authorization: Bearer ...):")
        lines += [f"  {label:<20} {token}" for label, token in tokens.items()]
        lines.append(
            f"Staff pages: {base_url}/login, password {demo_password(settings.secret_key)}"
            f" for {', '.join(email for _, email in TOKEN_HOLDERS)} (users list shows all)"
        )
    return lines
