"""Posting the staff case page's forms as a browser does, and reading the case's state."""

from tests.web.session import csrf_token


async def post_case_form(world, page_html: str, reference: str, **form: str):
    """One of the case page's forms, with the page's CSRF token; redirects not followed."""
    return await world.client.post(
        f"/cases/{reference}",
        data={"_csrf_token": csrf_token(page_html), **form},
        follow_redirects=False,
    )


async def case_state(conn, reference: str) -> tuple[str, int]:
    """The case's status and version."""
    row = await conn.fetchrow("SELECT status, version FROM cases WHERE reference = $1", reference)
    return row["status"], row["version"]
