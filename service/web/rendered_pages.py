"""Pages rendered lately, kept by a digest of everything they show (issue 15).

A tenant's tracking page is read far more often than its case changes: the reload after
an e-mail, the same link opened again. Rendering it costs more than all the rest of the
request, so a page whose every input is the same as one rendered lately is served as it
was rendered. The key is a digest of the whole template context (the case as read from the
database this request, the token, the language, the query): a change to any of them is a
different page, and nothing has to be told to forget one.

Each server process keeps its own, at most MAX_BYTES of pages (a tracking page is 3 to 6 KB:
about a thousand pages, the tenants of the last hour or so even in the week after a large
earthquake).
"""

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import msgspec

MAX_BYTES = 4 * 1024 * 1024

# Stands in for the CSRF field while a page is rendered for keeping: each visitor's own
# token goes in its place. A tenant's text cannot forge it: its "<" is escaped.
CSRF_FIELD_MARK = b"<csrf-field>"

_encoder = msgspec.msgpack.Encoder()


def page_key(template: str, context: dict[str, Any], derived: frozenset[str]) -> bytes:
    """A digest of what the page shows: the template and every value in its context.
    Functions (formatters) and the names in `derived` (values made from others in the
    context, such as the language's words) are left out: they follow from the rest."""
    shown = {
        name: value
        for name, value in context.items()
        if name not in derived and not callable(value)
    }
    encoded = _encoder.encode((template, sorted(shown.items())))
    return hashlib.blake2b(encoded, digest_size=16).digest()


class RenderedPages:
    """Pages by key, as UTF-8, at most max_bytes of them; the least recently read go first."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self._pages: OrderedDict[bytes, bytes] = OrderedDict()
        self._max_bytes = max_bytes
        self._bytes = 0

    def page(self, key: bytes, render: Callable[[], bytes]) -> bytes:
        """The page kept under key, else render() (then kept)."""
        kept = self._pages.get(key)
        if kept is not None:
            self._pages.move_to_end(key)
            return kept
        rendered = render()
        self._pages[key] = rendered
        self._bytes += len(rendered)
        while self._bytes > self._max_bytes:
            _, dropped = self._pages.popitem(last=False)
            self._bytes -= len(dropped)
        return rendered

    def __len__(self) -> int:
        return len(self._pages)
