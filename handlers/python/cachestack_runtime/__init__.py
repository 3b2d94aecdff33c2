"""cachestack's runtime kit for Python handlers, packaged into every Python
handler's zip (docs/handlers.md). The Redis cache (``redis_cache``) and the
Postgres pool (``postgres``) are modules of their own, imported only by handlers
that use them, so that a handler without a cache does not load redis-py. So is
``invalidate`` (``invalidate_endpoint``, which signs with botocore): importing it
from here loads that module on first use only."""

from .contract import ENV, WARM_PING_MARKER, HandlerEnvironmentError, HandlerSettings, RestApiSettings, decode_handler_environment, handler_settings
from .guard import INSTANCE_ID, is_warm_ping, warm_guard
from .keys import CacheKey, CacheKeyError, KeyBuilder
from .sdk import boto3_config, boto3_config_kwargs
from .values import json_default

__all__ = [
    "ENV",
    "WARM_PING_MARKER",
    "HandlerEnvironmentError",
    "HandlerSettings",
    "RestApiSettings",
    "decode_handler_environment",
    "handler_settings",
    "INSTANCE_ID",
    "is_warm_ping",
    "warm_guard",
    "CacheKey",
    "CacheKeyError",
    "KeyBuilder",
    "boto3_config",
    "boto3_config_kwargs",
    "json_default",
]


_LAZY = {"invalidate_endpoint": "invalidate", "InvalidationError": "invalidate"}


def __getattr__(name):
    # `from cachestack_runtime import invalidate_endpoint` imports the module (and
    # botocore) then; `import cachestack_runtime` alone does not.
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
