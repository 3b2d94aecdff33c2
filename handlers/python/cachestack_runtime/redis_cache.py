"""Cache-aside over the Redis (or Valkey) cache a handler names in the YAML
(``connections.redis.cache``), with that cache's key patterns and TTLs: the
Python counterpart of handlers/runtime/redis-cache.ts, speaking the same protocol
in Redis, so Python and TypeScript handlers of one cache work together.

    from cachestack_runtime.redis_cache import redis_cache

    cache = redis_cache("sessions")                    # module scope: once per container
    profile_key = cache.key("userProfile")             # fails at cold start if the YAML has no such pattern
    profile = cache.get_or_load(profile_key(user_id), lambda: load_profile(user_id))
    cache.invalidate(profile_key(user_id))             # after a write
    cache.invalidate_matching("courseList", semesterId=1)   # every course list of semester 1 (SCAN + UNLINK)

What it guarantees (as the TypeScript kit does):

- values are JSON (compact, as ``JSON.stringify`` writes them) under the keys the
  YAML's patterns give (see keys.py), with the pattern's TTL;
- one loader per key at a time: threads of this process share one load, and other
  processes (Python or TypeScript) wait on the lease the loading process writes
  into the key itself (``!cachestack:loading:<random>``, with a TTL of
  ``lock_ttl_ms``), then read the value it stores;
- invalidation wins over loads in flight: a load stores its value only if its
  lease is still in the key (one Lua script), and ``invalidate`` deletes the key,
  lease and all, so a load that read the database before a write never stores the
  old value after ``invalidate`` returned;
- pattern invalidation walks the keyspace with ``SCAN MATCH ... COUNT n`` (bounded
  ``n``, never ``KEYS``) and deletes with ``UNLINK`` (freed in the background);
- graceful degradation: when Redis is down, unreachable or slower than the
  command timeout, ``get_or_load`` returns the loader's value; a warning is logged
  once per outage, and after a failure Redis is left alone for a short back-off
  (100 ms, growing to 1 s) so that requests during an outage do not each wait a
  connect timeout;
- a Redis that answers but refuses writes (``OOM`` under ``noeviction``, a
  read-only replica) serves its entries; misses come from the loader, not stored;
- the AUTH token is read from Secrets Manager once per container.

Values go through JSON as ``JSON.stringify`` writes them: DynamoDB's ``Decimal``
numbers become numbers, dates ISO text, sets lists; a value JSON cannot hold is
served, not stored, with a warning. A loader's ``None`` is returned but not stored (store a value such as ``{}`` or
``False`` to cache "not found"). Built on redis-py (``redis`` in the handler's
requirements); TLS verifies the server's certificate.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
import threading
import time
from typing import Any, Callable, Iterable, Optional, TypeVar, Union

from .contract import RedisSettings, handler_settings
from .values import dumps
from .keys import CacheKey, CacheKeyError, KeyBuilder, key_builders, unknown_key_message

T = TypeVar("T")

#: The lease a loading process writes into the key it loads (not JSON: never read as a value).
LEASE_PREFIX = "!cachestack:loading:"
#: The same scripts as handlers/runtime/redis-cache.ts.
ACQUIRE_SCRIPT = """local v = redis.call('get', KEYS[1])
if v == false or v == ARGV[3] then
  redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1}
end
return {0, v}"""
STORE_SCRIPT = """if redis.call('get', KEYS[1]) == ARGV[1] then
  redis.call('set', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0"""
RELEASE_SCRIPT = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"

#: Most keys one SCAN step asks for.
MAX_SCAN_COUNT = 1000


class RedisUnavailable(Exception):
    pass


_dumps = dumps


def _write_refused(err: BaseException) -> bool:
    import redis

    text = str(err)
    refused = (redis.exceptions.ReadOnlyError, getattr(redis.exceptions, "OutOfMemoryError", redis.exceptions.ReadOnlyError))
    return isinstance(err, refused) or text.startswith(("OOM", "READONLY"))


class _Flight:
    __slots__ = ("done", "value", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = None
        self.error: Optional[BaseException] = None

    def wait(self) -> Any:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


class RedisCache:
    def __init__(
        self,
        settings: RedisSettings,
        *,
        lock_ttl_ms: int = 5000,
        lock_wait_ms: int = 3000,
        log: Optional[Callable[[str], None]] = None,
        secrets_client: Any = None,
    ):
        self.settings = settings
        self.keys: dict[str, KeyBuilder] = key_builders(settings.keys)
        self.stats = {"hits": 0, "misses": 0, "loads": 0, "waits": 0, "degraded": 0}
        self.lock_ttl_ms = lock_ttl_ms
        self.lock_wait_ms = lock_wait_ms
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._secrets_client = secrets_client
        self._lock = threading.Lock()
        self._flights: dict[str, _Flight] = {}
        self._client: Any = None
        self._available = True
        self._storing = True
        self._closed = False
        self._failures = 0
        self._down_until = 0.0

    @property
    def name(self) -> str:
        return self.settings.cache

    def key(self, name: str) -> KeyBuilder:
        """The builder of a key pattern; ``CacheKeyError`` (naming the patterns) for an unknown name."""
        builder = self.keys.get(name)
        if builder is None:
            raise CacheKeyError(unknown_key_message(name, self.keys, self.name))
        return builder

    # ---- reads and loads ----

    def get_or_load(self, key: CacheKey, loader: Callable[[], T]) -> T:
        """The cached value of ``key``, or the loader's value (stored with the key's TTL)."""
        with self._lock:
            flight = self._flights.get(key.key)
        if flight is not None:
            return flight.wait()
        try:
            raw = self._command(lambda c: c.get(key.key))
        except Exception as err:  # noqa: BLE001
            return self._flight(key, lambda: self._degrade(key, err, loader))
        hit, value, replaceable = self._entry(key, raw)
        if hit:
            return value

        def miss() -> T:
            self.stats["misses"] += 1
            return self._load_under_lease(key, loader, replaceable)

        return self._flight(key, miss)

    def get(self, key: CacheKey) -> Any:
        """The cached value, or ``None`` on a miss or when Redis is unavailable."""
        try:
            raw = self._command(lambda c: c.get(key.key))
        except Exception as err:  # noqa: BLE001
            self._unavailable(err)
            return None
        hit, value, _ = self._entry(key, raw, count=False)
        return value if hit else None

    def set(self, key: CacheKey, value: Any) -> bool:
        """Store a value with the key's TTL (replacing a load's lease, so that load does
        not store its older value over it). False when nothing was stored."""
        if value is None:
            return False
        try:
            text = _dumps(value)
        except (TypeError, ValueError) as err:
            self._not_json(key, err)
            return False
        try:
            self._command(lambda c: c.set(key.key, text, ex=key.ttl_seconds))
        except Exception as err:  # noqa: BLE001
            self._unavailable(err)
            return False
        self._storing_again()
        return True

    # Seed code writes `setex(key, ttl, json)`: the same, with the pattern's TTL.
    setex = set

    # ---- invalidation ----

    def invalidate(self, *keys: Union[CacheKey, Iterable[CacheKey]]) -> bool:
        """Delete cached entries after the write that made them stale. True when Redis
        confirmed; False when it was unavailable (the entries then expire with their
        TTL). A load of one of these keys in flight here or in another process loses
        its lease: it answers its callers but stores nothing."""
        names: list[str] = []
        for k in keys:
            if isinstance(k, CacheKey):
                names.append(k.key)
            else:
                names.extend(x.key for x in k)
        if not names:
            return True
        with self._lock:
            for n in names:
                self._flights.pop(n, None)
        try:
            # one DEL per key: in cluster mode the keys may live in different slots
            for n in names:
                self._command(lambda c, n=n: c.delete(n))
        except Exception as err:  # noqa: BLE001
            self._unavailable(err)
            return False
        return True

    def invalidate_pattern(self, match: str, *, count: int = 100) -> Optional[int]:
        """Delete every key matching a Redis glob (``courses:semester:*``): ``SCAN``
        with ``MATCH`` and ``COUNT`` (1..1000) and ``UNLINK`` of each batch, never
        ``KEYS``. Loads in flight of matching keys lose their lease as with
        ``invalidate``. Returns how many keys were deleted, or ``None`` when Redis was
        unavailable (the entries then expire with their TTL)."""
        if not match or match == "*":
            raise ValueError("invalidate_pattern needs a pattern narrower than `*`; use a key pattern's glob()")
        step = max(1, min(int(count), MAX_SCAN_COUNT))
        with self._lock:
            for n in [n for n in self._flights if fnmatch.fnmatchcase(n, match)]:
                self._flights.pop(n, None)

        def run(c: Any) -> int:
            deleted = 0
            batch: list[str] = []
            for name in c.scan_iter(match=match, count=step):
                batch.append(name)
                if len(batch) >= step:
                    deleted += self._unlink(c, batch)
                    batch = []
            if batch:
                deleted += self._unlink(c, batch)
            return deleted

        try:
            return self._command(run)
        except Exception as err:  # noqa: BLE001
            self._unavailable(err)
            return None

    # The seed's name for it.
    delete_pattern = invalidate_pattern

    def invalidate_matching(self, name: str, *, count: int = 100, **values: Any) -> Optional[int]:
        """``invalidate_pattern`` of a key pattern's keys with the given values
        (``invalidate_matching("courseList", semesterId=1)``); the other parameters match anything."""
        return self.invalidate_pattern(self.key(name).glob(**values), count=count)

    def _unlink(self, client: Any, names: list[str]) -> int:
        if self.settings.cluster_mode:
            return sum(int(client.unlink(n)) for n in names)
        return int(client.unlink(*names))

    # ---- connection ----

    def with_redis(self, run: Callable[[Any], T]) -> T:
        """Run other commands on the cache's client, with the same timeouts. Raises when
        Redis is unavailable: the caller decides how to degrade."""
        return self._command(run)

    def connect(self) -> bool:
        """Read the AUTH token and open a connection (a PING). True when Redis answered.
        Never raises: use it as the warm guard's ``prime``."""
        try:
            self._command(lambda c: c.ping())
            return True
        except Exception as err:  # noqa: BLE001
            self._unavailable(err)
            return False

    def close(self) -> None:
        """Close the connections (tests, scripts). The cache cannot be used afterwards."""
        with self._lock:
            self._closed = True
            client, self._client = self._client, None
        if client is not None:
            client.close()

    # ---- internals ----

    def _password(self) -> Optional[str]:
        arn = self.settings.auth_secret_arn
        if not arn:
            return None
        from .secrets import auth_token_from_secret, read_secret

        return auth_token_from_secret(read_secret(arn, self._secrets_client), f"secret {arn}")

    def _make_client(self) -> Any:
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        s = self.settings
        common: dict[str, Any] = {
            "password": self._password(),
            "socket_timeout": s.command_timeout_ms / 1000,
            "socket_connect_timeout": s.connect_timeout_ms / 1000,
            # fail fast, never retry behind the caller's back: serve from the loader
            "retry": Retry(NoBackoff(), 0),
            "decode_responses": True,
            "client_name": f"cachestack:{s.cache}",
        }
        if s.tls:
            common.update({"ssl": True, "ssl_cert_reqs": "required"})
        if s.cluster_mode:
            from redis.cluster import RedisCluster

            return RedisCluster(host=s.host, port=s.port, max_connections=max(1, s.pool_size), **common)
        ssl = common.pop("ssl", False)
        if ssl:
            common["connection_class"] = redis.SSLConnection
        pool = redis.BlockingConnectionPool(host=s.host, port=s.port, max_connections=max(1, s.pool_size), timeout=s.command_timeout_ms / 1000, **common)
        return redis.Redis(connection_pool=pool)

    def _get_client(self) -> Any:
        with self._lock:
            if self._closed:
                raise RedisUnavailable(f"redis cache `{self.name}` is closed")
            if self._client is None:
                self._client = self._make_client()
            return self._client

    def _command(self, run: Callable[[Any], T]) -> T:
        import redis

        if time.monotonic() < self._down_until:
            raise RedisUnavailable(f"redis cache `{self.name}` failed a moment ago; trying again shortly")
        client = self._get_client()
        try:
            result = run(client)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as err:
            self._failures += 1
            self._down_until = time.monotonic() + min(0.1 * self._failures, 1.0)
            raise RedisUnavailable(str(err) or type(err).__name__) from err
        self._failures = 0
        if not self._available:
            self._recovered()
        return result

    def _flight(self, key: CacheKey, start: Callable[[], T]) -> T:
        with self._lock:
            existing = self._flights.get(key.key)
            if existing is None:
                flight = _Flight()
                self._flights[key.key] = flight
        if existing is not None:
            return existing.wait()
        try:
            flight.value = start()
        except BaseException as err:
            flight.error = err
        finally:
            with self._lock:
                if self._flights.get(key.key) is flight:
                    del self._flights[key.key]
            flight.done.set()
        if flight.error is not None:
            raise flight.error
        return flight.value

    def _entry(self, key: CacheKey, raw: Optional[str], count: bool = True) -> tuple[bool, Any, Optional[str]]:
        """(hit, value, replaceable): a miss on an entry that is not JSON (and not a
        lease) names it as replaceable, so the load may overwrite it."""
        if raw is None:
            return False, None, None
        try:
            value = json.loads(raw)
        except ValueError:
            if raw.startswith(LEASE_PREFIX):
                return False, None, None
            self._log(json.dumps({"level": "warn", "msg": "redis cache: entry is not JSON, reloading it", "cache": self.name, "key": key.key}))
            return False, None, raw
        if count:
            self.stats["hits"] += 1
        return True, value, None

    def _load_under_lease(self, key: CacheKey, loader: Callable[[], T], replaceable: Optional[str]) -> T:
        lease = LEASE_PREFIX + os.urandom(12).hex()
        deadline = time.monotonic() + self.lock_wait_ms / 1000
        delay = 0.01
        waited = False
        while True:
            try:
                reply = self._command(lambda c: c.eval(ACQUIRE_SCRIPT, 1, key.key, lease, self.lock_ttl_ms, replaceable or ""))
            except Exception as err:  # noqa: BLE001
                return self._degrade(key, err, loader)
            if int(reply[0]) == 1:
                self._storing_again()
                return self._load_and_store(key, lease, loader)
            current = reply[1] if len(reply) > 1 else None
            hit, value, other = self._entry(key, current)
            if hit:
                return value  # another process stored it meanwhile
            if other is not None and other != replaceable:
                replaceable = other  # an entry that is not JSON: take its place at once
                if time.monotonic() < deadline:
                    continue
            if not waited:
                self.stats["waits"] += 1
                waited = True
            now = time.monotonic()
            if now >= deadline:
                # the other load takes too long: serve this caller without waiting further
                self.stats["loads"] += 1
                return loader()
            time.sleep(min(delay, max(0.001, deadline - now)))
            delay = min(delay * 2, 0.1)

    def _load_and_store(self, key: CacheKey, lease: str, loader: Callable[[], T]) -> T:
        self.stats["loads"] += 1
        try:
            value = loader()
        except BaseException:
            self._release(key, lease)
            raise
        if value is None:
            self._release(key, lease)
            return value
        try:
            text = _dumps(value)
        except (TypeError, ValueError) as err:
            self._release(key, lease)
            self._not_json(key, err)
            return value
        try:
            # stored only if the lease is still there: an invalidate since the lease was taken wins
            stored = self._command(lambda c: c.eval(STORE_SCRIPT, 1, key.key, lease, text, key.ttl_seconds))
            if int(stored) == 1:
                self._storing_again()
        except Exception as err:  # noqa: BLE001 - the lease expires by itself
            self._unavailable(err)
        return value

    def _release(self, key: CacheKey, lease: str) -> None:
        try:
            self._command(lambda c: c.eval(RELEASE_SCRIPT, 1, key.key, lease))
        except Exception as err:  # noqa: BLE001 - the lease expires by itself
            self._unavailable(err)

    def _degrade(self, key: CacheKey, err: BaseException, loader: Callable[[], T]) -> T:
        self._unavailable(err)
        self.stats["degraded"] += 1
        self.stats["loads"] += 1
        return loader()

    def _not_json(self, key: CacheKey, err: BaseException) -> None:
        """A value JSON cannot hold: served, not stored (a bug in the handler, not an outage)."""
        self._log(json.dumps({"level": "warn", "msg": "redis cache: value is not JSON-serializable, not stored", "cache": self.name, "key": key.key, "error": str(err)}))

    def _unavailable(self, err: BaseException) -> None:
        if _write_refused(err):
            if not self._storing:
                return
            self._storing = False
            self._log(json.dumps({
                "level": "warn",
                "msg": "redis cache refuses writes: serving its entries, and misses from the loader without storing them, until it accepts writes again",
                "cache": self.name,
                "error": str(err),
            }))
            return
        if not self._available:
            return
        self._available = False
        self._log(json.dumps({"level": "warn", "msg": "redis cache unavailable: serving from the loader until it is back", "cache": self.name, "error": str(err)}))

    def _storing_again(self) -> None:
        if self._storing:
            return
        self._storing = True
        self._log(json.dumps({"level": "info", "msg": "redis cache accepts writes again", "cache": self.name}))

    def _recovered(self) -> None:
        if self._available:
            return
        self._available = True
        self._log(json.dumps({"level": "info", "msg": "redis cache available again", "cache": self.name}))


_caches: dict[str, RedisCache] = {}


def redis_cache(name: Optional[str] = None, **options: Any) -> RedisCache:
    """The cache-aside client of the Redis cache this function is connected to
    (``connections.redis.cache``), one per container. ``name`` guards against
    reading the wrong cache: it must match the configured one."""
    settings = handler_settings()
    redis_settings = settings.redis
    if redis_settings is None:
        asked = f" (asked for `{name}`)" if name else ""
        raise RuntimeError(
            f"handler `{settings.handler}` has no redis connection{asked}; add `connections: {{ redis: {{ cache: {name or 'NAME'} }} }}` to the handler in the YAML"
        )
    if name is not None and name != redis_settings.cache:
        raise RuntimeError(
            f"handler `{settings.handler}` is connected to redis cache `{redis_settings.cache}`, not `{name}`; use `redis_cache('{redis_settings.cache}')` or change `connections.redis.cache` in the YAML"
        )
    cache = _caches.get(redis_settings.cache)
    if cache is None:
        cache = RedisCache(redis_settings, **options)
        _caches[redis_settings.cache] = cache
    return cache
