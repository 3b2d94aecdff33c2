"""Cache-aside against a real redis-server: hits and TTLs, one load per key
across threads and "processes" (separate RedisCache instances), invalidation
that wins over a load in flight, pattern invalidation with SCAN + UNLINK,
degradation when Redis is down or refuses writes."""

import json
import threading

import pytest

from cachestack_runtime.contract import RedisKeySetting, RedisSettings
from cachestack_runtime.keys import CacheKeyError
from cachestack_runtime.redis_cache import LEASE_PREFIX, RedisCache
from conftest import free_port, start_redis, stop

KEYS = (
    RedisKeySetting("userProfile", "user:profile:{userId}", 300),
    RedisKeySetting("courseList", "courses:semester:{semesterId}:dept:{departmentId}", 600),
    RedisKeySetting("courseDetail", "course:{courseId}", 900),
)


def settings(port, **over):
    base = dict(cache="sessions", host="127.0.0.1", port=port, tls=False, pool_size=4, command_timeout_ms=500, connect_timeout_ms=500, keys=KEYS)
    base.update(over)
    return RedisSettings(**base)


@pytest.fixture()
def logs():
    return []


@pytest.fixture()
def cache(redis_client, redis_port, logs):
    c = RedisCache(settings(redis_port), log=logs.append)
    yield c
    c.close()


def test_given_a_miss_then_the_loader_value_is_stored_as_json_with_the_patterns_ttl(cache, redis_client):
    key = cache.key("userProfile")("42")
    assert cache.get_or_load(key, lambda: {"id": "42", "name": "Ada"}) == {"id": "42", "name": "Ada"}
    assert redis_client.get("user:profile:42") == '{"id":"42","name":"Ada"}'
    assert 290 <= redis_client.ttl("user:profile:42") <= 300
    assert cache.get_or_load(key, lambda: pytest.fail("a hit must not load")) == {"id": "42", "name": "Ada"}
    assert (cache.stats["hits"], cache.stats["misses"], cache.stats["loads"]) == (1, 1, 1)


def test_given_a_value_written_by_the_typescript_kit_then_it_is_a_hit(cache, redis_client):
    redis_client.set("user:profile:7", json.dumps({"id": "7"}), ex=300)
    assert cache.get_or_load(cache.key("userProfile")(userId=7), lambda: pytest.fail("hit expected")) == {"id": "7"}


def test_given_none_from_the_loader_then_nothing_is_stored(cache, redis_client):
    assert cache.get_or_load(cache.key("userProfile")("1"), lambda: None) is None
    assert redis_client.get("user:profile:1") is None


def test_given_an_unknown_pattern_then_the_error_names_the_patterns(cache):
    with pytest.raises(CacheKeyError, match="`userProfile`, `courseList`, `courseDetail`"):
        cache.key("userProfil")


def test_given_concurrent_callers_in_one_process_then_one_load_runs(cache):
    key = cache.key("courseDetail")("c1")
    started = threading.Event()
    release = threading.Event()
    loads = []

    def loader():
        loads.append(1)
        started.set()
        release.wait(5)
        return {"course": "c1"}

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_load(key, loader))) for _ in range(8)]
    threads[0].start()
    started.wait(5)
    for t in threads[1:]:
        t.start()
    release.set()
    for t in threads:
        t.join(10)
    assert results == [{"course": "c1"}] * 8
    assert loads == [1]


def test_given_another_process_holds_the_lease_then_the_caller_waits_for_its_value(redis_client, redis_port):
    one = RedisCache(settings(redis_port), log=lambda _: None)
    two = RedisCache(settings(redis_port), log=lambda _: None)
    key = one.key("courseDetail")("c2")
    started = threading.Event()
    release = threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return {"from": "one"}

    t = threading.Thread(target=lambda: one.get_or_load(key, slow))
    t.start()
    started.wait(5)
    assert redis_client.get("course:c2").startswith(LEASE_PREFIX)
    got = []
    waiter = threading.Thread(target=lambda: got.append(two.get_or_load(key, lambda: {"from": "two"})))
    waiter.start()
    import time

    deadline = time.monotonic() + 5
    while two.stats["waits"] == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    release.set()
    t.join(10)
    waiter.join(10)
    assert got == [{"from": "one"}]
    assert two.stats["waits"] == 1 and two.stats["loads"] == 0
    one.close()
    two.close()


def test_given_an_invalidate_during_a_load_then_the_old_value_is_not_stored(cache, redis_client, redis_port):
    key = cache.key("userProfile")("9")
    started = threading.Event()
    release = threading.Event()

    def stale_loader():
        started.set()
        release.wait(5)
        return {"name": "old"}

    result = []
    t = threading.Thread(target=lambda: result.append(cache.get_or_load(key, stale_loader)))
    t.start()
    started.wait(5)
    # a write elsewhere, then its invalidation (from another process)
    other = RedisCache(settings(redis_port), log=lambda _: None)
    assert other.invalidate(key) is True
    release.set()
    t.join(10)
    assert result == [{"name": "old"}]  # the caller still gets its answer
    assert redis_client.get("user:profile:9") is None  # but it is not cached
    assert cache.get_or_load(key, lambda: {"name": "new"}) == {"name": "new"}
    other.close()


def test_given_a_pattern_then_scan_and_unlink_delete_exactly_the_matching_keys(cache, redis_client):
    for sem in (1, 2):
        for dept in range(150):
            redis_client.set(f"courses:semester:{sem}:dept:{dept}", "[]", ex=600)
    redis_client.set("course:c1", "{}", ex=600)
    before = redis_client.info("commandstats")
    deleted = cache.invalidate_matching("courseList", semesterId=1, count=50)
    after = redis_client.info("commandstats")
    assert deleted == 150
    assert after["cmdstat_scan"]["calls"] > before.get("cmdstat_scan", {}).get("calls", 0)
    assert after["cmdstat_unlink"]["calls"] >= 3  # batches of at most 50
    assert after.get("cmdstat_keys", {}).get("calls", 0) == before.get("cmdstat_keys", {}).get("calls", 0)
    assert sum(1 for _ in redis_client.scan_iter("courses:semester:1:*")) == 0
    assert sum(1 for _ in redis_client.scan_iter("courses:semester:2:*")) == 150
    assert redis_client.get("course:c1") == "{}"
    assert cache.delete_pattern("courses:semester:*") == 150


def test_given_a_value_with_glob_characters_then_the_pattern_escapes_them(cache, redis_client):
    redis_client.set("courses:semester:*:dept:1", "[]")
    redis_client.set("courses:semester:x:dept:1", "[]")
    assert cache.invalidate_matching("courseList", semesterId="*") == 1
    assert redis_client.get("courses:semester:x:dept:1") == "[]"


def test_given_a_pattern_of_everything_then_it_is_refused(cache):
    with pytest.raises(ValueError):
        cache.invalidate_pattern("*")


def test_given_redis_is_down_then_requests_are_served_from_the_loader_and_one_warning_is_logged(logs):
    port = free_port()  # nothing listens here
    down = RedisCache(settings(port), log=logs.append)
    key = down.key("userProfile")("1")
    assert [down.get_or_load(key, lambda: {"n": i}) for i in range(3)] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert down.stats["degraded"] == 3
    assert down.invalidate(key) is False
    assert down.invalidate_pattern("user:profile:*") is None
    assert down.connect() is False
    warnings = [json.loads(line) for line in logs if "unavailable" in line]
    assert len(warnings) == 1 and warnings[0]["level"] == "warn"
    down.close()


def test_given_redis_comes_back_then_the_cache_recovers(logs):
    port = free_port()
    c = RedisCache(settings(port), log=logs.append)
    key = c.key("userProfile")("1")
    assert c.get_or_load(key, lambda: {"v": 1}) == {"v": 1}
    proc = start_redis(port)
    try:
        import time

        deadline = time.monotonic() + 10
        while not c.connect() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert c.get_or_load(key, lambda: {"v": 2}) == {"v": 2}
        assert c.get_or_load(key, lambda: pytest.fail("hit expected")) == {"v": 2}
        assert any("available again" in line for line in logs)
    finally:
        c.close()
        stop(proc)


def test_given_a_full_redis_with_noeviction_then_misses_are_served_and_not_stored(cache, redis_client, logs):
    redis_client.set("user:profile:1", '{"cached":true}', ex=300)
    redis_client.config_set("maxmemory-policy", "noeviction")
    redis_client.config_set("maxmemory", "1")
    try:
        assert cache.get_or_load(cache.key("userProfile")("1"), lambda: pytest.fail("hit expected")) == {"cached": True}
        assert cache.get_or_load(cache.key("userProfile")("2"), lambda: {"fresh": 1}) == {"fresh": 1}
        assert cache.get_or_load(cache.key("userProfile")("3"), lambda: {"fresh": 2}) == {"fresh": 2}
        assert sum("refuses writes" in line for line in logs) == 1
    finally:
        redis_client.config_set("maxmemory", "0")
    assert redis_client.get("user:profile:2") is None


def test_given_an_entry_that_is_not_json_then_it_is_reloaded(cache, redis_client, logs):
    redis_client.set("course:c9", "not json", ex=300)
    assert cache.get_or_load(cache.key("courseDetail")("c9"), lambda: {"ok": True}) == {"ok": True}
    assert redis_client.get("course:c9") == '{"ok":true}'
    assert any("not JSON" in line for line in logs)


def test_given_a_loader_that_raises_then_the_lease_is_released_and_the_error_reaches_the_caller(cache, redis_client):
    key = cache.key("courseDetail")("boom")

    def boom():
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError, match="database down"):
        cache.get_or_load(key, boom)
    assert redis_client.get("course:boom") is None


def test_given_dynamodb_numbers_and_dates_then_they_are_stored_as_json_writes_them(cache, redis_client):
    import datetime
    from decimal import Decimal

    value = {"capacity": Decimal("30"), "price": Decimal("9.5"), "at": datetime.date(2026, 1, 2)}
    assert cache.get_or_load(cache.key("courseDetail")("d1"), lambda: value) == value
    assert redis_client.get("course:d1") == '{"capacity":30,"price":9.5,"at":"2026-01-02"}'


def test_given_a_value_json_cannot_hold_then_it_is_served_not_stored_and_redis_is_not_called_down(cache, redis_client, logs):
    marker = object()
    assert cache.get_or_load(cache.key("courseDetail")("o1"), lambda: {"x": marker}) == {"x": marker}
    assert redis_client.get("course:o1") is None
    assert any("not JSON-serializable" in line for line in logs)
    assert not any("unavailable" in line for line in logs)
