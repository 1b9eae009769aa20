"""Checking a sign-in's password: in threads of its own, a few at a time, the same work always.

argon2 takes ~150 ms of CPU by design; on the event loop it would stall every request.
A small pool of threads hashes, so a flood of sign-ins queues for a turn instead of taking
every core, and those threads run at a lower priority than the event loop: serving other
requests comes first. An account that does not exist, is deactivated or has no password is
checked against a dummy hash made with the same parameters, so the time of the answer does
not tell whether an address belongs to an account.
"""

import asyncio
import os
import secrets
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache

from service.auth.secrets import hash_password, password_matches

# Added to the hashing threads' nice value: the event loop gets the CPU first when both want it.
HASHING_NICENESS = 10


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _check(password: str, stored_hash: str | None) -> bool:
    if stored_hash is None:
        password_matches(password, _dummy_hash())  # the same work; the answer is no
        return False
    return password_matches(password, stored_hash)


def _yield_to_serving() -> None:
    # Linux keeps a nice value per thread, and the threads argon2 starts for its lanes
    # inherit it; elsewhere the hashing threads keep the process's priority.
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class PasswordCheck:
    def __init__(self, threads: int) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="password-check", initializer=_yield_to_serving
        )

    async def prepare(self) -> None:
        """Make the dummy hash now, so that the first unknown address costs no extra hash."""
        await asyncio.get_running_loop().run_in_executor(self._executor, _dummy_hash)

    async def matches(self, password: str, stored_hash: str | None) -> bool:
        """Whether password matches stored_hash; None (no usable account) never does."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, _check, password, stored_hash
        )

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
