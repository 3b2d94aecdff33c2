"""The warm-ping guard answers the warmer's ping (handlers/runtime/ping.ts) with
the reply the warmer reads, and lets every other event through."""

import json

from cachestack_runtime import guard
from cachestack_runtime.guard import INSTANCE_ID, requested_hold_ms, warm_guard


class Context:
    def __init__(self, remaining_ms):
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self):
        return self.remaining_ms


def test_given_a_warm_ping_then_the_reply_has_the_warmers_shape_and_the_handler_does_not_run(monkeypatch):
    monkeypatch.setattr(guard, "_invocations", 0)
    calls = []

    @warm_guard
    def handler(event, context):
        calls.append(event)
        return {"statusCode": 200}

    ping = {"source": "cachestack:warm-ping", "run": "2026-01-01T00:00:00Z"}
    first = handler(ping, Context(3000))
    second = handler(ping, Context(3000))
    assert calls == []
    assert set(first) == {"source", "warm", "instance", "cold", "heldMs"}
    assert first["source"] == "cachestack:warm-ping" and first["warm"] is True and first["instance"] == INSTANCE_ID
    assert first["cold"] is True and second["cold"] is False
    assert json.loads(json.dumps(first)) == first  # Lambda serializes it as JSON


def test_given_another_event_then_the_handler_gets_it_unchanged():
    @warm_guard
    def handler(event, context):
        return {"got": event}

    event = {"source": "aws.events", "detail": {}}
    assert handler(event, None) == {"got": event}


def test_given_hold_requests_then_they_are_clamped_like_the_typescript_guard():
    assert requested_hold_ms({"holdMs": 100}) == 100
    assert requested_hold_ms({"holdMs": 5000}) == 1000
    assert requested_hold_ms({"holdMs": 5000}, 250) == 250
    assert requested_hold_ms({"holdMs": -1}) == 0
    assert requested_hold_ms({"holdMs": "100"}) == 0
    assert requested_hold_ms({"holdMs": True}) == 0
    assert requested_hold_ms({}) == 0


def test_given_a_prime_that_fails_then_the_ping_is_still_answered(capsys):
    def prime():
        raise RuntimeError("redis is down")

    @warm_guard(prime=prime)
    def handler(event, context):
        raise AssertionError("not reached")

    reply = handler({"source": "cachestack:warm-ping", "holdMs": 0}, Context(3000))
    assert reply["warm"] is True
    assert "warm ping: prime failed" in capsys.readouterr().err


def test_given_a_prime_then_it_runs_on_the_ping():
    primed = []

    @warm_guard(prime=lambda: primed.append(1))
    def handler(event, context):
        return None

    handler({"source": "cachestack:warm-ping"}, Context(3000))
    assert primed == [1]


def test_given_almost_no_time_left_then_the_hold_is_cut_to_the_remaining_budget():
    @warm_guard(max_hold_ms=1000)
    def handler(event, context):
        return None

    # 100 ms left is exactly the safety margin: no hold at all
    reply = handler({"source": "cachestack:warm-ping", "holdMs": 1000}, Context(100))
    assert reply["heldMs"] < 1000
