"""The visitor's language: Dutch unless they chose English, remembered in a cookie."""

from urllib.parse import urlencode

from litestar import Request
from litestar.datastructures import Cookie

from service.cookie_header import sends_cookies
from service.reports.schemas import Language

COOKIE = "lang"
LANGUAGES: tuple[Language, ...] = ("nl", "en")
ONE_YEAR = 365 * 24 * 3600
# The field the switch on a page that answered a form sends (base.html): the form comes back
# to be shown in the other language (?lang= in the action) with what it holds, not acted on.
LANGUAGE_SWITCH = "language_switch"
# Not carried over by the switch: the language itself, and one-off outcome messages.
_NOT_CARRIED = ("lang", "outcome", "routed")


def _known(value: str | None) -> Language | None:
    """The language value names, if it is one of ours."""
    for language in LANGUAGES:
        if value == language:
            return language
    return None


def _asked(request: Request) -> str | None:
    """?lang=, if given. Litestar parses the query into a new MultiDict on every look; a query
    without "lang" in it, even percent-encoded, cannot hold it (a tracking link's holds only
    its token)."""
    query = request.scope["query_string"]
    if b"lang" not in query and b"%" not in query:
        return None
    return request.query_params.get("lang")


def _remembered(request: Request) -> Language | None:
    """The language the cookie remembers, if any; most tracking links come without cookies."""
    if not sends_cookies(request.scope):
        return None
    return _known(request.cookies.get(COOKIE))


def explicit_language(request: Request) -> Language | None:
    """The language the visitor chose (now, or remembered), if any."""
    return _known(_asked(request)) or _remembered(request)


def chosen_language(request: Request, default: str = "nl") -> tuple[str, list[Cookie]]:
    """The page's language, and the cookie to set when ?lang= changed it."""
    asked = _known(_asked(request))
    if asked is not None:
        cookie = Cookie(key=COOKIE, value=asked, max_age=ONE_YEAR, samesite="lax", httponly=True)
        return asked, [cookie]
    return _remembered(request) or default, []


def switch_url(request: Request, language: str) -> str:
    """This page in the other language; the rest of its query (a tracking token) is kept."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _NOT_CARRIED]
    kept.append(("lang", "en" if language == "nl" else "nl"))
    return f"{request.url.path}?{urlencode(kept)}"
