"""Answers to the tenant's status read, kept by a digest of everything they are made from
(issue 15).

A tenant's case is read far more often than it changes: the tracking page reloaded after an
e-mail, the same link opened again, an app asking for the status. Building the answer (the
timeline's words, the JSON, above all the page's HTML) cost more than all the rest of the
request, so an answer made from the same inputs as one made lately is served as it was made.
The inputs are what the answer is a function of: the case's row as read from the database
for this very request (after its token was checked), what the tenant may do now, and for the
page its language and the request's path and query (which hold the token). A change to any
of them is another answer, so nothing has to be told to forget one.

Each server process keeps its own, at most MAX_BYTES of answers together (a tracking page is
3 to 6 KB, a JSON answer 1 to 2 KB: about a thousand cases, the tenants of the last hour or
so even in the week after a large earthquake), and none that was not read for ten minutes.
"""

import hashlib
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

import msgspec

MAX_BYTES = 4 * 1024 * 1024
# Not read for this long: dropped, so that a tenant's words do not linger in memory.
MAX_IDLE_SECONDS = 600.0

_encoder = msgspec.msgpack.Encoder()

# An answer as bytes, or in parts between which each reader's own bit goes (a page's CSRF
# field): joining them costs far less than replacing a mark in the bytes.
Kept = TypeVar("Kept", bytes, tuple[bytes, ...])


def answer_key(kind: str, inputs: Any) -> bytes:
    """A digest of the kind of answer (a template's name, say) and its inputs (anything
    msgspec encodes)."""
    # SHA-256: processors of the last years compute it in hardware (SHA-NI), where it takes
    # 1.3 us for a 2 KB case row against 2.1 us for BLAKE2b (issue 15).
    return hashlib.sha256(_encoder.encode((kind, inputs))).digest()


class KeptAnswers:
    """Answers by key, as bytes, at most max_bytes of them; the least recently read go first,
    and any not read for max_idle seconds goes at the next call: an answer holds a tenant's
    words, and one whose case changed (or was erased) is never read again."""

    def __init__(
        self,
        max_bytes: int = MAX_BYTES,
        max_idle: float = MAX_IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # key -> (answer, when it was last read); the least recently read first.
        self._answers: OrderedDict[bytes, tuple[bytes | tuple[bytes, ...], float]] = OrderedDict()
        self._max_bytes = max_bytes
        self._max_idle = max_idle
        self._clock = clock
        self._bytes = 0

    def answer(self, key: bytes, make: Callable[[], Kept]) -> Kept:
        """The answer kept under key, else make() (then kept). A key is made from the kind of
        answer (answer_key), so the one kept under it is of the kind make() makes."""
        now = self._clock()
        kept = self._answers.pop(key, None)
        if kept is None:
            answer: bytes | tuple[bytes, ...] = make()
            self._bytes += _size(answer)
        else:
            answer = kept[0]
        self._answers[key] = (answer, now)
        while self._answers and (
            self._bytes > self._max_bytes
            or next(iter(self._answers.values()))[1] < now - self._max_idle
        ):
            _, (dropped, _) = self._answers.popitem(last=False)
            self._bytes -= _size(dropped)
        return cast(Kept, answer)

    def __len__(self) -> int:
        return len(self._answers)


def _size(answer: bytes | tuple[bytes, ...]) -> int:
    return len(answer) if isinstance(answer, bytes) else sum(len(part) for part in answer)


# The status reads' answers, the API's and the page's together, in this process.
TENANT_READS = KeptAnswers()
