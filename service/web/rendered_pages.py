"""Pages rendered lately, kept by a digest of everything they are made from (issue 15).

A tenant's tracking page is read far more often than its case changes: the reload after
an e-mail, the same link opened again. Rendering it cost more than all the rest of the
request, so a page made from the same inputs as one rendered lately is served as it was
rendered. The inputs are what the page is a function of: the case's row as read from the
database for this request, what the tenant may do now, the language and the request's path
and query (which hold the token). A change to any of them is a different page, so nothing
has to be told to forget one.

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


def page_key(template: str, inputs: Any) -> bytes:
    """A digest of the template's name and the inputs (anything msgspec encodes)."""
    encoded = _encoder.encode((template, inputs))
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
