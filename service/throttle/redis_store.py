"""Throttle counters in Redis (REDIS_URL): one script a call, on a single Redis server.

A window starts at its bucket's first hit and ends when the key expires. Times come from
Redis's clock, so every process and replica agrees. When Redis does not answer, requests
go through unthrottled (reporting damage matters more than counting it): one warning when
that starts and one line when Redis answers again.
"""

import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

import redis.asyncio as redis
from redis.exceptions import RedisError

from service.throttle.store import SignInRecord, Window

logger = logging.getLogger(__name__)

KEY_PREFIX = "schade-tracker:throttle:"
T = TypeVar("T")

_COUNT = """
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
"""

_NOW_MS = """
local time = redis.call('TIME')
local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
"""

# KEYS: the account, and the address when it is counted.
_SIGN_IN_RECORD = (
    _NOW_MS
    + """
local account = redis.call('HMGET', KEYS[1], 'failures', 'last_ms')
local failures = tonumber(account[1]) or 0
local since = account[2] and (now_ms - tonumber(account[2])) or 0
local address_failures, address_left = 0, 0
if #KEYS > 1 then
  address_failures = tonumber(redis.call('GET', KEYS[2])) or 0
  address_left = math.max(redis.call('PTTL', KEYS[2]), 0)
end
return {failures, since, address_failures, address_left}
"""
)

# ARGV: how long an account's failures are remembered, and the address window (ms).
_SIGN_IN_FAILED = (
    _NOW_MS
    + """
redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'last_ms', now_ms)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
if #KEYS > 1 then
  if redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
end
return 1
"""
)


def _key(bucket: bytes) -> str:
    return KEY_PREFIX + bucket.hex()


class RedisStore:
    def __init__(self, url: str) -> None:
        # Short timeouts: a hung Redis must not hold requests up.
        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._count = self._redis.register_script(_COUNT)
        self._record = self._redis.register_script(_SIGN_IN_RECORD)
        self._failed = self._redis.register_script(_SIGN_IN_FAILED)
        self._unreachable = False

    async def _call(self, call: Awaitable[T], unanswered: T) -> T:
        try:
            answer = await call
        except RedisError as error:
            if not self._unreachable:
                self._unreachable = True
                logger.warning("Redis does not answer (%s): not throttling", type(error).__name__)
            return unanswered
        if self._unreachable:
            self._unreachable = False
            logger.warning("Redis answers again: throttling")
        return answer

    async def count(self, bucket: bytes, window_seconds: int) -> Window:
        answer: Any = await self._call(
            self._count(keys=[_key(bucket)], args=[window_seconds * 1000]), None
        )
        if answer is None:
            return Window(0, 0)
        hits, left_ms = answer
        return Window(int(hits), max(int(left_ms), 0) / 1000)

    async def sign_in_record(
        self, account: bytes, address: bytes | None, window_seconds: int, forget_seconds: int
    ) -> SignInRecord:
        keys = [_key(account)] + ([_key(address)] if address else [])
        answer: Any = await self._call(self._record(keys=keys), None)
        if answer is None:
            return SignInRecord(0, 0, 0, 0)
        failures, since_ms, address_failures, left_ms = (int(value) for value in answer)
        return SignInRecord(failures, since_ms / 1000, address_failures, left_ms / 1000)

    async def sign_in_failed(
        self, account: bytes, address: bytes | None, window_seconds: int, forget_seconds: int
    ) -> None:
        keys = [_key(account)] + ([_key(address)] if address else [])
        args = [forget_seconds * 1000, window_seconds * 1000]
        await self._call(self._failed(keys=keys, args=args), None)

    async def sign_in_succeeded(self, account: bytes) -> None:
        await self._call(self._redis.delete(_key(account)), None)

    async def close(self) -> None:
        await self._redis.aclose()
