"""Headers every answer carries, whatever made it: a handler, an error handler, a static file.

A Litestar before_send hook, so 404s, 405s and error answers get them too. Each header is
added only when the answer has none of its own:

- X-Content-Type-Options: nosniff and X-Frame-Options: DENY (for browsers that predate
  CSP's frame-ancestors), everywhere.
- Content-Security-Policy: DEFAULT_POLICY, which no page of another site may frame; the
  pages have it too. The API docs (service/meta/api_docs.py) send their own.
- Cache-Control: no-store. Answers carry tracking tokens and personal data, which no browser
  or proxy may keep. Only static assets (routes with STATIC_ASSET in their opt: the pages'
  CSS and JavaScript, Swagger UI's files) keep the caching they have.
"""

from typing import Any

from litestar.types import Message, Scope

DEFAULT_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
# opt of a route whose answers are the same files for everyone: caching them is harmless.
STATIC_ASSET: dict[str, Any] = {"static_asset": True}

# As the raw (name, value) pairs of an ASGI message: added to every answer, they are checked
# against the names it has once, not looked up and decoded one by one.
_ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", DEFAULT_POLICY.encode()),
]
_NO_STORE = (b"cache-control", b"no-store")


def _is_static_asset(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return handler is not None and bool(handler.opt.get("static_asset"))


async def add_security_headers(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers", ()))
    present = {name.lower() for name, _ in headers}
    headers += [header for header in _ALWAYS if header[0] not in present]
    if _NO_STORE[0] not in present and not _is_static_asset(scope):
        headers.append(_NO_STORE)
    message["headers"] = headers
