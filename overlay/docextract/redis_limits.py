"""A provider's limits shared by every worker, in Redis: ten workers, not ten times the 429s.

    limiter = RedisLimiter(redis.asyncio.Redis.from_url(url), "contextual", limit, scope=key_id)
    await limiter.turn()            # reserve the next free instant, across all workers
    limiter.throttled(retry_after)  # a 429 anywhere slows everyone (halves the shared rate)
    async with limiter.slot(): ...  # one of `limit.concurrency` creating requests in flight
    async with limiter.active(): ...  # one of `limit.active_jobs` jobs, from creation to end

    cap = RedisCap(redis, cap_name("contextual", key_id, ACTIVE), 5)  # the leases underneath
    lease = await cap.acquire(token)  # None while all 5 are held: come back later
    async with kept(redis, lease): ...  # renewed while the job runs, released at its end

The pace is the same reservation as docextract.limits.AdaptiveLimiter (GCRA), kept in Redis:
each turn is one atomic script that reads Redis's own clock, so workers on several machines
agree. The caps are counting semaphores of leases: a sorted set of lease tokens scored by
their expiry (Redis's clock); one script takes a lease while fewer than `cap` unexpired ones
remain (or extends its own), a plain ZREM gives it back. A holder renews well inside the TTL;
one that dies loses its lease when the TTL runs out, so the cap heals. A lease is plain data
(`Lease.to_json`): it can travel from the task that created a job to the one waiting for it.
Hand-written: the Redis locks on PyPI (redis-py's Lock, python-redis-lock, pottery's Redlock)
are mutexes owned by one client, not N leases that pass between processes.
Keys are per provider and per API key — named by a keyed hash of it (`key_scope`), never the key.
"""

import asyncio
import contextlib
import hashlib
import logging
import secrets
from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal

import attrs

from docextract.limits import FLOOR_RATE, RECOVERY, START_RATE, Limit

PREFIX = "docextract:pace"
TTL_SECONDS = 3600  # an idle pace is forgotten after an hour
CAP_PREFIX = "docextract:cap"
CapKind = Literal["active", "inflight"]
ACTIVE: CapKind = "active"  # the cap of jobs running at once
IN_FLIGHT: CapKind = "inflight"  # the cap of creating requests in flight
LEASE_SECONDS = 120.0  # a lease not renewed for this long lapses (its holder died)
RENEWALS_PER_TTL = 4  # a holder renews its lease every LEASE_SECONDS / 4
POLL_SECONDS = (0.05, 1.0)  # a caller waiting for a lease looks again after this (growing)
_random = secrets.SystemRandom()
log = logging.getLogger(__name__)

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


# KEYS: the cap's sorted set. ARGV: cap, ttl (seconds), token.
# 0: refused (cap leases held); 1: the token's lease was held, extended; 2: taken anew.
_TAKE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local ttl = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZSCORE', KEYS[1], ARGV[3])
if not held and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl * 1000 then
  redis.call('PEXPIRE', KEYS[1], math.ceil(ttl * 1000))
end
if held then return 1 end
return 2
"""

# KEYS: the cap's sorted set. The unexpired leases.
_HELD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZCARD', KEYS[1])
"""

REFUSED, EXTENDED, TAKEN = 0, 1, 2


def key_scope(api_key: str) -> str:
    """A stable name for an API key's pace and caps that does not reveal it."""
    return hashlib.blake2b(api_key.encode(), key=b"docextract-pace", digest_size=12).hexdigest()


def cap_name(provider: str, scope: str, kind: CapKind) -> str:
    """The Redis key of one of a provider's caps, for one API key (its `key_scope`)."""
    return f"{CAP_PREFIX}:{provider}:{scope}:{kind}"


@attrs.frozen
class Lease:
    """One lease of a cap: `token` in the sorted set `name`, of `cap`, lapsing `ttl` seconds
    after its last renewal. Plain data: it travels (to_json/from_json) with the job it covers."""

    name: str
    token: str
    cap: int
    ttl: float = LEASE_SECONDS

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Lease":
        return cls(str(data["name"]), str(data["token"]), int(data["cap"]), float(data["ttl"]))


async def take(redis: Any, lease: Lease) -> int:
    """Take or extend `lease` if the cap allows: REFUSED, EXTENDED (it was held) or TAKEN."""
    script = redis.register_script(_TAKE)
    return int(await script(keys=[lease.name], args=[lease.cap, lease.ttl, lease.token]))


async def release(redis: Any, lease: Lease) -> None:
    """Give `lease` back (done twice, or after it lapsed: nothing happens)."""
    await redis.zrem(lease.name, lease.token)


async def renew(redis: Any, lease: Lease) -> bool:
    """Extend `lease`; one that lapsed meanwhile is taken again if the cap allows. False: it
    lapsed and the cap is full (its job runs over the cap: logged)."""
    outcome = await take(redis, lease)
    if outcome == TAKEN:
        log.warning("a lease of %s had lapsed: taken again", lease.name)
    elif outcome == REFUSED:
        log.warning("a lease of %s lapsed and its cap is full: its job runs over it", lease.name)
    return outcome != REFUSED


@contextlib.asynccontextmanager
async def kept(redis: Any, lease: Lease) -> AsyncIterator[Lease]:
    """Hold `lease` while the body runs: taken or extended at once (past a full cap the body
    runs all the same, logged: what it covers exists already), renewed every
    ttl/RENEWALS_PER_TTL (a heartbeat), released when the body ends, however it ends."""

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(lease.ttl / RENEWALS_PER_TTL)
            await _quietly(renew(redis, lease), "renew")

    await _quietly(_enter(redis, lease), "take")
    beating = asyncio.get_running_loop().create_task(heartbeat())
    try:
        yield lease
    finally:
        beating.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beating
        await _quietly(release(redis, lease), "release")


async def _enter(redis: Any, lease: Lease) -> None:
    if await take(redis, lease) == REFUSED:  # a job that runs already: it cannot wait
        log.warning("the cap %s is full: a job runs over it", lease.name)


async def _quietly(call: Any, what: str) -> None:
    """A lease's upkeep failing (Redis away) must not end the work: the lease lapses, logged."""
    from redis.exceptions import RedisError

    try:
        await call
    except (RedisError, OSError) as exc:
        log.warning("could not %s a lease (%s): it lapses after its TTL", what, exc)


class RedisCap:
    """At most `cap` leases of `name` at once, across every process using this Redis."""

    def __init__(self, redis: Any, name: str, cap: int, *, ttl: float = LEASE_SECONDS) -> None:
        self.redis, self.name, self.cap, self.ttl = redis, name, cap, ttl

    def lease(self, token: str | None = None) -> Lease:
        """A lease of this cap (not taken yet); `token` names it (default: a random one)."""
        return Lease(self.name, token or secrets.token_hex(16), self.cap, self.ttl)

    async def acquire(self, token: str | None = None) -> Lease | None:
        """A lease now, or None while `cap` are held. The same token again extends its lease
        (a task delivered again takes the lease it had, not a second one)."""
        lease = self.lease(token)
        return lease if await take(self.redis, lease) != REFUSED else None

    async def wait(self, token: str | None = None) -> Lease:
        """A lease, waiting for one (looking again after a growing, jittered pause). Only for
        caps whose holders free them on their own (creating requests), never for leases held
        by work queued behind the caller."""
        low, high = POLL_SECONDS
        pause = low
        while (lease := await self.acquire(token)) is None:
            await asyncio.sleep(pause * _random.uniform(0.5, 1.0))
            pause = min(high, pause * 2)
        return lease

    async def held(self) -> int:
        """How many unexpired leases there are."""
        return int(await self.redis.register_script(_HELD)(keys=[self.name]))

    @contextlib.asynccontextmanager
    async def holding(self) -> AsyncIterator[Lease]:
        """Wait for a lease, keep it (renewed) while the body runs, then release it."""
        async with kept(self.redis, await self.wait()) as lease:
            yield lease


class RedisLimiter:
    """The AdaptiveLimiter interface (turn, throttled, succeeded, slot, active) over Redis:
    the pace and both caps are shared by every process on this Redis, per provider and key."""

    def __init__(
        self, redis: Any, provider: str, limit: Limit, *, scope: str, ttl: float = LEASE_SECONDS
    ) -> None:
        self.redis, self.provider, self.limit = redis, provider, limit
        self.throttles = 0
        base = f"{PREFIX}:{provider}:{scope}"
        self._keys = (f"{base}:next", f"{base}:interval")
        self._interval = 1.0 / limit.rate if limit.rate else 0.0
        self.in_flight = _cap(redis, provider, scope, IN_FLIGHT, limit.concurrency, ttl)
        self.active_jobs = _cap(redis, provider, scope, ACTIVE, limit.active_jobs, ttl)
        self._turn = redis.register_script(_TURN)
        self._throttled = redis.register_script(_THROTTLED)
        self._succeeded = redis.register_script(_SUCCEEDED)
        self._pending: set[Any] = set()

    async def delay(self) -> float:
        """Reserve the next turn across every worker; how long to sleep until it."""
        return float(await self._turn(keys=self._keys, args=[self._interval, TTL_SECONDS]))

    async def turn(self) -> None:
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
        task = asyncio.get_running_loop().create_task(coroutine)
        self._pending.add(task)  # kept until done: the loop holds tasks weakly
        task.add_done_callback(self._pending.discard)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """One of the provider's creating requests in flight, shared (waited for: each ends on
        its own, whatever is queued behind it)."""
        async with self.in_flight.holding() if self.in_flight else contextlib.nullcontext():
            yield

    @contextlib.asynccontextmanager
    async def active(self) -> AsyncIterator[None]:
        """One of the provider's active jobs, shared, from before creation to the job's end
        (waited for: in one event loop; Celery's tasks use `active_jobs` leases without waiting)."""
        async with self.active_jobs.holding() if self.active_jobs else contextlib.nullcontext():
            yield

    async def settle(self) -> None:
        """Wait for the Redis updates sent by throttled()/succeeded()."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)


def _cap(
    redis: Any, provider: str, scope: str, kind: CapKind, cap: int | None,
    ttl: float,
) -> RedisCap | None:  # fmt: skip
    return None if cap is None else RedisCap(redis, cap_name(provider, scope, kind), cap, ttl=ttl)
