"""The page that answers a report: the reference, whom to call when it is acute, and the
one-time tracking link; shown again, in the other language, by the language switch.

Why the switch posts: the page shows the tracking token once. A link with the token in its
query would leave it in browser history and in any log that keeps query strings; a form
posts it in the body instead, to a route that checks it before showing anything.
"""

from dataclasses import dataclass
from datetime import datetime

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.response import Template
from markupsafe import Markup, escape

from service.domain.phone_numbers import NotADutchPhoneNumber, dutch_phone_number
from service.reports.schemas import ReportCreated
from service.reports.timeline import ACUTE_CALLBACK, ACUTE_DANGER, emergency_call
from service.web.language import chosen_language
from service.web.pages import render
from service.web.photo_forms import SHOWN_NAME_LENGTH, PhotosAdded, RefusedPhoto

SWITCH_ACTION = "/report/confirmation"
# The refusals a page can name (photo_forms._refused): others sent back are ignored.
_REFUSAL_KEYS = frozenset(
    {"photo_too_large", "photo_not_usable", "photo_no_room", "photo_not_added"}
)


@dataclass(frozen=True)
class Confirmation:
    reference: str
    token: str
    acute: bool
    corporation: str | None
    emergency_phone: str | None
    acknowledge_by: datetime
    tracking_url: str

    @classmethod
    def of(cls, created: ReportCreated, acute: bool, emergency_phone: str | None) -> "Confirmation":
        return cls(
            reference=created.reference,
            token=created.tracking_token,
            acute=acute,
            corporation=created.corporation.name if created.corporation else None,
            emergency_phone=emergency_phone,
            acknowledge_by=created.deadlines.acknowledge_by,
            tracking_url=created.tracking_url,
        )


def _dialled(phone: str) -> str:
    try:
        return dutch_phone_number(phone).dialled
    except NotADutchPhoneNumber:  # set in the database by hand: dial its digits
        return "".join(c for c in phone if c.isdigit() or c == "+")


def emergency_markup(language: str, corporation: str | None, phone: str | None) -> Markup:
    """Whom to call, with the number as a link a phone dials."""
    text = escape(emergency_call(language, corporation, phone))
    if not phone:
        return text
    link = Markup('<a href="tel:{}" class="phone">{}</a>').format(_dialled(phone), phone)
    return text.replace(Markup("{phone}"), link)


def photos_from_form(form: FormMultiDict) -> PhotosAdded | None:
    """The outcome of the photos as the switch form carried it back (shown again as is)."""
    added = form.get("photos_added", "")
    names = form.getall("photo_refused_name", [])
    reasons = form.getall("photo_refused_reason", [])
    refused = tuple(
        RefusedPhoto(str(name)[:SHOWN_NAME_LENGTH], str(reason), 400)
        for name, reason in zip(names, reasons, strict=False)
        if reason in _REFUSAL_KEYS
    )
    count = int(added) if isinstance(added, str) and added.isdigit() and len(added) < 3 else 0
    return PhotosAdded(count, refused) if count or refused else None


def confirmation_page(
    request: Request,
    confirmation: Confirmation,
    *,
    tracking_path: str,
    photos_added: PhotosAdded | None = None,
    photos_replayed: bool = False,
) -> Template:
    language, _ = chosen_language(request)
    return render(
        request,
        "report_done.html",
        title_key="done_title",
        created=confirmation,
        tracking_path=tracking_path,
        photos_added=photos_added,
        photos_replayed=photos_replayed,
        acute_danger=ACUTE_DANGER[language],
        acute_callback=ACUTE_CALLBACK[language],
        emergency=emergency_markup(
            language, confirmation.corporation, confirmation.emergency_phone
        ),
        switch_language_form={"id": "language-switch", "action": SWITCH_ACTION},
    )
