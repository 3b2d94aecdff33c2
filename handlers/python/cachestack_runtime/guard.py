"""The warm-ping guard, Python side: answer the warmer's pings before any of the
handler's own work runs.

    from cachestack_runtime import warm_guard

    @warm_guard
    def handler(event, context):
        ...

The warmer (handlers/warmer) sends ``{"source": "cachestack:warm-ping", "run": ...,
"holdMs": N}`` and expects the reply the TypeScript guard gives
(handlers/runtime/ping.ts): ``{"source", "warm": true, "instance", "cold",
"heldMs"}``. As there, the guard keeps the environment busy for the hold the ping
asks for (so that the run's other pings land in other environments), bounded by
``max_hold_ms`` (default 250), by 1000 ms whatever the options say, and by the
invocation's remaining time less 100 ms; ``prime`` (for example
``cache.connect``) runs inside the hold, and its failure is logged, never raised.
No dependencies.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import threading
import time
from typing import Any, Callable, Optional

from .contract import WARM_PING_MARKER

#: Longest hold a guard grants, whatever a ping asks for (``MAX_HOLD_MS``).
MAX_HOLD_MS = 1000
_SAFETY_MARGIN_MS = 100

#: Random id of this execution environment, fixed when the module first loads.
INSTANCE_ID = os.urandom(6).hex()

_invocations = 0
_lock = threading.Lock()


def is_warm_ping(event: Any) -> bool:
    return isinstance(event, dict) and event.get("source") == WARM_PING_MARKER


def requested_hold_ms(ping: dict, max_hold_ms: float = MAX_HOLD_MS) -> int:
    """The hold a ping asks for, clamped to ``0..max_hold_ms``; 0 when it asks for none."""
    raw = ping.get("holdMs")
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or raw <= 0:
        return 0
    return int(min(math.floor(raw), max(0, max_hold_ms)))


def _remaining_budget_ms(context: Any) -> float:
    get = getattr(context, "get_remaining_time_in_millis", None)
    remaining = get() if callable(get) else math.inf
    return max(0.0, remaining - _SAFETY_MARGIN_MS)


def _run_prime(prime: Callable[[], Any], budget_ms: float) -> None:
    done = threading.Event()

    def run() -> None:
        try:
            prime()
        except Exception as err:  # noqa: BLE001 - a failed prime never fails the ping
            print(json.dumps({"level": "warn", "msg": "warm ping: prime failed", "error": str(err)}), file=sys.stderr)
        finally:
            done.set()

    worker = threading.Thread(target=run, name="cachestack-prime", daemon=True)
    worker.start()
    done.wait(None if budget_ms == math.inf else budget_ms / 1000)


def answer_warm_ping(ping: dict, context: Any = None, *, cold: bool = False, max_hold_ms: float = 250, prime: Optional[Callable[[], Any]] = None) -> dict:
    """Hold (bounded), prime, reply."""
    started = time.monotonic()
    budget = _remaining_budget_ms(context)
    hold = min(requested_hold_ms(ping, min(max_hold_ms, MAX_HOLD_MS)), budget)
    if prime is not None:
        _run_prime(prime, budget)
    left = hold - (time.monotonic() - started) * 1000
    if left > 0:
        time.sleep(left / 1000)
    return {
        "source": ping["source"],
        "warm": True,
        "instance": INSTANCE_ID,
        "cold": cold,
        "heldMs": int(round((time.monotonic() - started) * 1000)),
    }


def warm_guard(handler: Optional[Callable] = None, *, max_hold_ms: float = 250, prime: Optional[Callable[[], Any]] = None):
    """Wrap a handler so that a warm ping is answered with the warmer's reply and
    never reaches it; any other event goes to the handler unchanged. Use as
    ``@warm_guard`` or ``@warm_guard(max_hold_ms=500, prime=cache.connect)``."""

    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def guarded(event, context=None):
            global _invocations
            with _lock:
                _invocations += 1
                cold = _invocations == 1
            if is_warm_ping(event):
                return answer_warm_ping(event, context, cold=cold, max_hold_ms=max_hold_ms, prime=prime)
            return fn(event, context)

        return guarded

    return wrap(handler) if handler is not None else wrap
