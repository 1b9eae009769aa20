"""A ReadyResponse (service/ready_response.py) is answered as Litestar's Response would be:
the same status, headers in the same order, and body, whatever else is set around it."""

import pytest
from litestar import Litestar, Response, get
from litestar.datastructures import Cookie, ResponseHeader
from litestar.enums import MediaType
from litestar.testing import AsyncTestClient

from service.ready_response import ReadyResponse

BODY = b"<p>Uw melding</p>"
HEADERS = {"Referrer-Policy": "no-referrer"}
PAIRS = ((b"referrer-policy", b"no-referrer"),)


async def _both(make_app) -> list[tuple[int, list[tuple[bytes, bytes]], bytes]]:
    """The answer of the app make_app(ready) builds, with Litestar's Response and with ours."""
    answers = []
    for ready in (False, True):
        async with AsyncTestClient(make_app(ready)) as client:
            answer = await client.get("/page")
        answers.append((answer.status_code, answer.headers.raw, answer.content))
    return answers


@pytest.mark.parametrize("media_type", [MediaType.HTML, MediaType.JSON, "text/plain"])
async def test_the_answer_is_the_one_litestar_gives(media_type):
    def make_app(ready: bool) -> Litestar:
        @get("/page")
        async def page() -> Response[bytes]:
            if ready:
                return ReadyResponse(BODY, media_type=media_type, headers=PAIRS)
            return Response(BODY, media_type=media_type, headers=HEADERS)

        return Litestar([page])

    theirs, ours = await _both(make_app)
    assert ours == theirs
    assert (b"content-length", str(len(BODY)).encode()) in ours[1]


async def test_cookies_route_headers_and_a_hook_are_kept():
    async def after(response: Response) -> Response:
        response.set_header("X-After", "hook")
        return response

    def make_app(ready: bool) -> Litestar:
        cookies = [Cookie(key="lang", value="en", httponly=True)]

        @get(
            "/page",
            response_headers=[ResponseHeader(name="X-Route", value="yes")],
            after_request=after,
        )
        async def page() -> Response[bytes]:
            if ready:
                return ReadyResponse(
                    BODY, media_type=MediaType.HTML, headers=PAIRS, cookies=cookies
                )
            return Response(BODY, media_type=MediaType.HTML, headers=HEADERS, cookies=cookies)

        return Litestar([page])

    theirs, ours = await _both(make_app)
    assert ours == theirs
    names = [name for name, _ in ours[1]]
    assert {b"x-route", b"x-after", b"set-cookie", b"referrer-policy"} <= set(names)
