"""How long a failed delivery waits before the next attempt (e-mail and webhooks alike)."""

import random
from datetime import timedelta


def backoff(
    attempts: int, first: timedelta, longest: timedelta, rng: random.Random | None = None
) -> timedelta:
    """Exponential from first, capped at longest, with jitter so that retries spread out.
    (The exponent is capped too: a delivery retried for a day makes many attempts.)"""
    ceiling = min(first * 2 ** min(attempts - 1, 20), longest)
    return ceiling * (rng or random).uniform(0.5, 1.0)
