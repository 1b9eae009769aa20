"""The "lost your link?" page: the same as POST /api/v1/reports/links, as a form."""

from typing import Annotated

from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Template

from service.dependencies import AppSettings, AppThrottle, ChangePipeline, DbPool
from service.domain.errors import InvalidInput
from service.reports.lost_link import ask_for_links
from service.throttle.before_request import LINKS_PER_ADDRESS
from service.web.language import LANGUAGE_SWITCH, chosen_language
from service.web.page_errors import PUBLIC_PAGE_HANDLERS
from service.web.pages import render
from service.web.texts import page_texts
from service.web.throttled import THROTTLED_PAGE_HANDLERS

FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
PATH = "/lost-link"
SWITCH = {"id": "lost-link-form", "action": PATH}


def _page(request: Request, *, email: str = "", error: bool = False, status: int = 200) -> Template:
    language, _ = chosen_language(request)
    return render(
        request,
        "lost_link.html",
        title_key="lost_link_title",
        status=status,
        sent=False,
        email=email,
        error=page_texts(language)["lost_link_bad_email"] if error else None,
        switch_language_form=SWITCH,
    )


def _sent(request: Request) -> Template:
    return render(
        request,
        "lost_link.html",
        title_key="lost_link_title",
        sent=True,
        switch_language_form=SWITCH,
    )


class LostLinkController(Controller):
    include_in_schema = False
    exception_handlers = {**THROTTLED_PAGE_HANDLERS, **PUBLIC_PAGE_HANDLERS}

    @get(PATH)
    async def form(self, request: Request) -> Template:
        return _page(request)

    @post(PATH, status_code=200, before_request=LINKS_PER_ADDRESS)
    async def send(
        self,
        request: Request,
        data: FormData,
        db_pool: DbPool,
        pipeline: ChangePipeline,
        settings: AppSettings,
        throttle: AppThrottle,
    ) -> Template:
        typed = data.get("email", "")[:254] if isinstance(data.get("email"), str) else ""
        if data.get(LANGUAGE_SWITCH):  # the page again in the other language: nothing is sent
            if data.get("sent") == "yes":
                return _sent(request)
            return _page(request, email=typed)
        try:
            await ask_for_links(db_pool, throttle, typed, settings.secret_key, pipeline.clock())
        except InvalidInput:
            return _page(request, email=typed, error=True, status=400)
        return _sent(request)
