"""A provider's pace shared by every worker, in Redis: ten workers, not ten times the 429s.

    limiter = RedisLimiter(redis.asyncio.Redis.from_url(url), "llamacloud", limit, scope=key_id)
    await limiter.turn()            # reserve the next free instant, across all workers
    limiter.throttled(retry_after)  # a 429 anywhere slows everyone (halves the shared rate)

The same reservation pacing as docextract.limits.AdaptiveLimiter (GCRA), kept in Redis: each
turn is one atomic script that reads Redis's own clock, so workers on several machines agree.
Keys are per provider and per API key — named by a keyed hash of it (`key_scope`), never the key.
"""

import hashlib
from typing import Any

from docextract.limits import FLOOR_RATE, RECOVERY, START_RATE, Limit

PREFIX = "docextract:pace"
TTL_SECONDS = 3600  # an idle pace is forgotten after an hour

# KEYS: next free instant, current interval. ARGV: configured interval (0: none).
_TURN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(redis.call('GET', KEYS[2]) or ARGV[1])
local start = tonumber(redis.call('GET', KEYS[1]) or now)
if start < now then start = now end
redis.call('SET', KEYS[1], tostring(start + interval), 'EX', tonumber(ARGV[2]))
return tostring(start - now)
"""

# ARGV: retry_after (-1: none), configured interval, slowest interval, first interval, ttl
_THROTTLED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(redis.call('GET', KEYS[2]) or ARGV[2])
if interval <= 0 then interval = tonumber(ARGV[4]) / 2 end
interval = math.min(interval * 2, tonumber(ARGV[3]))
local pause = tonumber(ARGV[1])
if pause < 0 then pause = interval end
local start = tonumber(redis.call('GET', KEYS[1]) or now)
start = math.max(start, now + pause)
redis.call('SET', KEYS[2], tostring(interval), 'EX', tonumber(ARGV[5]))
redis.call('SET', KEYS[1], tostring(start), 'EX', tonumber(ARGV[5]))
return tostring(interval)
"""

# ARGV: configured interval (0: none), recovery share, ttl
_SUCCEEDED = """
local current = redis.call('GET', KEYS[2])
if not current then return '0' end
local rate = 1 / tonumber(current)
local base = tonumber(ARGV[1])
local ceiling = base > 0 and 1 / base or tonumber(ARGV[4])
rate = rate + tonumber(ARGV[2]) * ceiling
if rate >= ceiling then
  redis.call('DEL', KEYS[2])
  return '0'
end
redis.call('SET', KEYS[2], tostring(1 / rate), 'EX', tonumber(ARGV[3]))
return tostring(1 / rate)
"""


def key_scope(api_key: str) -> str:
    """A stable name for an API key's pace that does not reveal it."""
    return hashlib.blake2b(api_key.encode(), key=b"docextract-pace", digest_size=12).hexdigest()


class RedisLimiter:
    """The AdaptiveLimiter interface (turn, throttled, succeeded, slot, active) over Redis.

    Only the pace is shared; concurrency and active-job caps stay per process (Celery's worker
    concurrency bounds those)."""

    def __init__(self, redis: Any, provider: str, limit: Limit, *, scope: str) -> None:
        from docextract.limits import AdaptiveLimiter

        self.redis, self.provider, self.limit = redis, provider, limit
        self.throttles = 0
        base = f"{PREFIX}:{provider}:{scope}"
        self._keys = (f"{base}:next", f"{base}:interval")
        self._interval = 1.0 / limit.rate if limit.rate else 0.0
        self._local = AdaptiveLimiter(
            Limit(concurrency=limit.concurrency, active_jobs=limit.active_jobs)
        )
        self._turn = redis.register_script(_TURN)
        self._throttled = redis.register_script(_THROTTLED)
        self._succeeded = redis.register_script(_SUCCEEDED)
        self._pending: set[Any] = set()

    async def delay(self) -> float:
        """Reserve the next turn across every worker; how long to sleep until it."""
        return float(await self._turn(keys=self._keys, args=[self._interval, TTL_SECONDS]))

    async def turn(self) -> None:
        import asyncio

        wait = await self.delay()
        if wait > 0:
            await asyncio.sleep(wait)

    async def athrottled(self, retry_after: float | None) -> float:
        self.throttles += 1
        args = [
            -1 if retry_after is None else retry_after,
            self._interval,
            1.0 / FLOOR_RATE,
            1.0 / START_RATE,
            TTL_SECONDS,
        ]
        return float(await self._throttled(keys=self._keys, args=args))

    async def asucceeded(self) -> None:
        args = [self._interval, RECOVERY, TTL_SECONDS, START_RATE]
        await self._succeeded(keys=self._keys, args=args)

    def throttled(self, retry_after: float | None) -> None:
        self._spawn(self.athrottled(retry_after))

    def succeeded(self) -> None:
        self._spawn(self.asucceeded())

    def _spawn(self, coroutine: Any) -> None:
        import asyncio

        task = asyncio.get_running_loop().create_task(coroutine)
        self._pending.add(task)  # kept until done: the loop holds tasks weakly
        task.add_done_callback(self._pending.discard)

    def slot(self) -> Any:
        return self._local.slot()

    def active(self) -> Any:
        return self._local.active()

    async def settle(self) -> None:
        """Wait for the Redis updates sent by throttled()/succeeded()."""
        import asyncio

        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)
