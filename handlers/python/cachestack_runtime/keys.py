"""Key builders from the YAML's key patterns, exactly as handlers/runtime/keys.ts
builds them, so that both kits compute the same key for the same values:
``user:profile:{userId}`` with ``ttlSeconds: 300`` becomes
``keys["userProfile"]("42")`` (or ``keys["userProfile"](userId="42")``), a
``CacheKey("user:profile:42", 300, "userProfile")``.

Values are inserted as they are, except that ``%``, ``:``, ``{``, ``}``, white space
(JavaScript's ``\\s``) and control characters are percent-encoded (UTF-8,
upper-case hex, as ``encodeURIComponent``), so a value cannot forge a key of
another shape. An empty value is refused: it would make one key shared by every
caller. ``glob(...)`` gives the SCAN pattern of the keys that share the values
given (the others are ``*``), for ``invalidate_matching``. No dependencies.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Union

from .contract import RedisKeySetting

KeyParam = Union[str, int, float]

_PARAM = re.compile(r"\{([A-Za-z][A-Za-z0-9]*)\}")
# JavaScript's \s and \p{Cc}, with % : { }
_ENCODED = re.compile("[%:{}\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\x00-\x1f\x7f-\x9f]")
_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


class CacheKeyError(ValueError):
    pass


@dataclass(frozen=True)
class CacheKey:
    key: str
    ttl_seconds: int
    #: Name of the pattern (``userProfile``).
    name: str


def _encode(value: str) -> str:
    return _ENCODED.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), value)


def _text(value: object) -> str:
    """The value as JavaScript's String() would write it (whole floats without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def pattern_params(pattern: str) -> list[str]:
    return _PARAM.findall(pattern)


class KeyBuilder:
    def __init__(self, setting: RedisKeySetting):
        self.name = setting.name
        self.pattern = setting.pattern
        self.ttl_seconds = setting.ttl_seconds
        self.params = tuple(pattern_params(setting.pattern))
        self._parts = _PARAM.split(setting.pattern)  # literal, param, literal, ..., literal

    def _values(self, args: tuple, kwargs: dict) -> list:
        if kwargs:
            if args:
                raise CacheKeyError(f"key `{self.name}` ({self.pattern}): give the values by position or by name, not both")
            unknown = [k for k in kwargs if k not in self.params]
            if unknown:
                names = ", ".join(f"`{p}`" for p in self.params) or "none"
                raise CacheKeyError(f"key `{self.name}` ({self.pattern}) has no parameter {', '.join(f'`{u}`' for u in unknown)}; its parameters are {names}")
            return [kwargs.get(p) for p in self.params]
        if len(args) != len(self.params):
            raise CacheKeyError(f"key `{self.name}` ({self.pattern}) takes {len(self.params)} value(s) ({', '.join(self.params)}), got {len(args)}")
        return list(args)

    def __call__(self, *args: KeyParam, **kwargs: KeyParam) -> CacheKey:
        values = self._values(args, kwargs)
        key = self._parts[0]
        for i, param in enumerate(self.params):
            v = values[i]
            ok = (isinstance(v, str) and v != "") or (isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v))
            if not ok:
                raise CacheKeyError(f"key `{self.name}` ({self.pattern}): `{param}` must be a non-empty string or a finite number, got {v!r}")
            key += _encode(_text(v)) + self._parts[2 * i + 2]
        return CacheKey(key=key, ttl_seconds=self.ttl_seconds, name=self.name)

    def glob(self, **values: KeyParam) -> str:
        """The SCAN ``MATCH`` pattern of this pattern's keys with the given values
        (``courseList.glob(semesterId=1)`` -> ``courses:semester:1:*``); the other
        parameters match anything."""
        unknown = [k for k in values if k not in self.params]
        if unknown:
            raise CacheKeyError(f"key `{self.name}` ({self.pattern}) has no parameter {', '.join(f'`{u}`' for u in unknown)}")
        out = _GLOB_SPECIAL.sub(r"\\\1", self._parts[0])
        for i, param in enumerate(self.params):
            if param in values:
                out += _GLOB_SPECIAL.sub(r"\\\1", _encode(_text(values[param])))
            else:
                out += "*"
            out += _GLOB_SPECIAL.sub(r"\\\1", self._parts[2 * i + 2])
        return out


def key_builders(settings: Iterable[RedisKeySetting]) -> dict[str, KeyBuilder]:
    return {s.name: KeyBuilder(s) for s in settings}


def unknown_key_message(name: str, known: Iterable[str], cache: str) -> str:
    known = list(known)
    listed = ", ".join(f"`{k}`" for k in known) or "none"
    return f"redis cache `{cache}` has no key pattern named `{name}`; the patterns are {listed} (add it under `redis.<cache>.keys` in the YAML)"
