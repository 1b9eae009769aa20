"""Signing a test client in to the staff pages, and the CSRF token their forms carry."""

import re

from service.web.staff_access import SESSION_COOKIE, start_session

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


async def sign_in(client, conn, user_id: int) -> None:
    cookie = await start_session(conn, user_id, secure=False)
    client.cookies.set(SESSION_COOKIE, cookie.value)


def csrf_token(page_html: str) -> str:
    found = CSRF_FIELD.search(page_html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)
