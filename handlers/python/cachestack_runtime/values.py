"""JSON as ``JSON.stringify`` writes it, for values Python's json refuses: the
cache stores values this way, and a handler's responses can use the same rules so
that a cached answer and a fresh one are the same text. No dependencies.

    json.dumps(item, default=json_default)
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from typing import Any


def json_default(value: Any) -> Any:
    """DynamoDB's ``Decimal`` numbers as numbers, dates as ISO text, sets as lists."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> str:
    """Compact JSON (``JSON.stringify``'s separators), UTF-8 text kept as is."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=json_default)
