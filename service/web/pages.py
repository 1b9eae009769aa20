"""Rendering a page: the visitor's language, its texts, and the headers every page sends."""

import html
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.enums import MediaType
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from service.domain.calendar import AMSTERDAM
from service.domain.dates_in_words import deadline_words, last_day
from service.kept_answers import KeptAnswers, answer_key
from service.ready_response import ReadyResponse
from service.web.language import chosen_language, switch_url
from service.web.texts import page_texts, page_words, status_label

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def read_templates_once(engine: JinjaTemplateEngine) -> None:
    """Templates change only with a new release: no look at each one's file on every page."""
    engine.engine.auto_reload = False


# The token is in the URL: no page of ours may send it on. The policy against loading
# anything foreign, nosniff and no-store come with every answer (service/security_headers.py).
SECURITY_HEADERS = {"Referrer-Policy": "no-referrer"}
_SECURITY_HEADER_PAIRS = tuple(
    (k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
)


def format_time(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def format_day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


_WEEKDAYS = {
    "nl": ("ma", "di", "wo", "do", "vr", "za", "zo"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def format_due(deadline: datetime, language: str) -> str:
    """A deadline as staff read it in a table: "wo 02-12-2026" for one in days (stored as
    midnight after its last day, which would read as the day after), with the time for one
    in hours (acute): "02-12-2026 14:00"."""
    day = last_day(deadline)
    if day is None:
        return format_time(deadline)
    return f"{_WEEKDAYS['en' if language == 'en' else 'nl'][day.weekday()]} {format_day(day)}"


def format_date(moment: datetime) -> str:
    """The day in the Netherlands, as Dutch writes it: 28-11-2026."""
    return format_day(moment.astimezone(AMSTERDAM).date())


def format_decimal(value: float, language: str) -> str:
    """A number as its language writes it: 2,5 in Dutch, 2.5 in English (and 0, never -0)."""
    text = f"{value:g}" if value != 0 else "0"
    return text.replace(".", ",") if language == "nl" else text


def _page_context(
    request: Request,
    title_key: str,
    default_language: str,
    page_path: str | None,
    context: dict[str, Any],
) -> tuple[dict[str, Any], list[Cookie]]:
    """What every template is given besides the page's own context, and the language cookie
    to set."""
    language, cookies = chosen_language(request, default_language)
    texts = page_texts(language)
    if request.method == "GET":
        switch_language_url: str | None = switch_url(request, language)
    elif page_path is not None:
        switch_language_url = f"{page_path}?lang={'en' if language == 'nl' else 'nl'}"
    else:
        # A tenant's answer to a form cannot be fetched again: its page offers a form instead.
        switch_language_url = None
    return {
        "language": language,
        "t": page_words(language),
        "title": texts[title_key],
        "switch_language_url": switch_language_url,
        "current_path": request.url.path,
        "format_time": format_time,
        "format_day": format_day,
        "format_due": lambda deadline: format_due(deadline, language),
        # For tenants: "woensdag 2 december 2026", the time only for a deadline in hours.
        "deadline_in_words": lambda deadline: deadline_words(deadline, language),
        "format_decimal": lambda value: format_decimal(value, language),
        "status_label": lambda status: status_label(status, language),
        **context,
    }, cookies


def render(
    request: Request,
    template: str,
    *,
    title_key: str,
    status: int = 200,
    default_language: str = "nl",
    headers: dict[str, str] | None = None,
    page_path: str | None = None,
    **context: Any,
) -> Template:
    """The page in the visitor's language: their choice, else default_language; headers are
    sent besides SECURITY_HEADERS. page_path names a staff page that answers GET too: after
    one of its forms, its switch simply loads that page in the other language."""
    full_context, cookies = _page_context(request, title_key, default_language, page_path, context)
    return Template(
        template,
        context=full_context,
        status_code=status,
        headers={**SECURITY_HEADERS, **(headers or {})},
        cookies=cookies,
    )


# Stands in for the CSRF field while a page is rendered for keeping: the page is kept in the
# parts between, and each visitor's own token joins them. A tenant's text cannot forge it:
# its "<" is escaped.
CSRF_FIELD_MARK = b"<csrf-field>"


def render_kept(
    request: Request,
    pages: KeptAnswers,
    template: str,
    *,
    made_from: Any,
    title_key: str,
    default_language: str,
    context: Callable[[], dict[str, Any]],
) -> Response[bytes]:
    """render()'s page for a GET, when the page is a function of `made_from` (anything msgspec
    encodes), the visitor's language and the request's path and query: served from `pages`
    when made from the same lately, else rendered with context() and kept
    (service/kept_answers.py). Each visitor's CSRF token is put in as they are served."""
    language, cookies = chosen_language(request, default_language)
    shown_for = (made_from, language, request.scope["path"], request.scope["query_string"])

    def rendered() -> tuple[bytes, ...]:
        full_context, _ = _page_context(request, title_key, default_language, None, context())
        engine: JinjaTemplateEngine = request.app.template_engine  # type: ignore[assignment]
        page = engine.get_template(template).render(
            **full_context, request=request, csrf_input=CSRF_FIELD_MARK.decode()
        )
        return tuple(page.encode().split(CSRF_FIELD_MARK))

    parts = pages.answer(answer_key(template, shown_for), rendered)
    csrf_token = value_or_default(ScopeState.from_scope(request.scope).csrf_token, "")
    csrf_field = f'<input type="hidden" name="_csrf_token" value="{html.escape(csrf_token)}" />'
    return ReadyResponse(
        csrf_field.encode().join(parts),
        media_type=MediaType.HTML,
        headers=_SECURITY_HEADER_PAIRS,
        cookies=cookies,
    )
