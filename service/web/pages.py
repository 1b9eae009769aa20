"""Rendering a page: the visitor's language, its texts, and the headers every page sends."""

from typing import Any

from litestar import Request
from litestar.response import Template

from service.web.controller import SECURITY_HEADERS, format_time
from service.web.language import chosen_language, switch_url
from service.web.texts import page_texts, status_label


def render(
    request: Request, template: str, *, title_key: str, status: int = 200, **context: Any
) -> Template:
    language, cookies = chosen_language(request)
    texts = page_texts(language)
    return Template(
        template,
        context={
            "language": language,
            "t": texts,
            "title": texts[title_key],
            "switch_language_url": switch_url(request, language),
            "current_path": request.url.path,
            "format_time": format_time,
            "status_label": lambda status: status_label(status, language),
            **context,
        },
        status_code=status,
        headers=SECURITY_HEADERS,
        cookies=cookies,
    )
