"""The visitor's language: Dutch unless they chose English, remembered in a cookie."""

from litestar import Request
from litestar.datastructures import Cookie

COOKIE = "lang"
LANGUAGES = ("nl", "en")
ONE_YEAR = 365 * 24 * 3600


def chosen_language(request: Request) -> tuple[str, list[Cookie]]:
    """The page's language, and the cookie to set when ?lang= changed it."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        cookie = Cookie(key=COOKIE, value=asked, max_age=ONE_YEAR, samesite="lax", httponly=True)
        return asked, [cookie]
    remembered = request.cookies.get(COOKIE)
    return (remembered if remembered in LANGUAGES else "nl"), []


def switch_url(request: Request, language: str) -> str:
    return f"{request.url.path}?lang={'en' if language == 'nl' else 'nl'}"
