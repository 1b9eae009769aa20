"""Rendering a page: the visitor's language, its texts, and the headers every page sends."""

from datetime import datetime
from pathlib import Path
from typing import Any

from litestar import Request
from litestar.response import Template

from service.domain.calendar import AMSTERDAM
from service.web.language import chosen_language, switch_url
from service.web.texts import page_texts, status_label

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# The token is in the URL: no page of ours may send it on. The policy against loading
# anything foreign, nosniff and no-store come with every answer (service/security_headers.py).
SECURITY_HEADERS = {"Referrer-Policy": "no-referrer"}


def format_time(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def format_date(moment: datetime) -> str:
    """The day in the Netherlands, as Dutch writes it: 28-11-2026."""
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y")


def format_decimal(value: float, language: str) -> str:
    """A number as its language writes it: 2,5 in Dutch, 2.5 in English (and 0, never -0)."""
    text = f"{value:g}" if value != 0 else "0"
    return text.replace(".", ",") if language == "nl" else text


def render(
    request: Request,
    template: str,
    *,
    title_key: str,
    status: int = 200,
    default_language: str = "nl",
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    """The page in the visitor's language: their choice, else default_language; headers are
    sent besides SECURITY_HEADERS."""
    language, cookies = chosen_language(request, default_language)
    texts = page_texts(language)
    return Template(
        template,
        context={
            "language": language,
            "t": texts,
            "title": texts[title_key],
            # The answer to a form cannot be fetched again: switching would lose it.
            "switch_language_url": switch_url(request, language)
            if request.method == "GET"
            else None,
            "current_path": request.url.path,
            "format_time": format_time,
            "format_decimal": lambda value: format_decimal(value, language),
            "status_label": lambda status: status_label(status, language),
            **context,
        },
        status_code=status,
        headers={**SECURITY_HEADERS, **(headers or {})},
        cookies=cookies,
    )
