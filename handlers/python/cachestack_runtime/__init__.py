"""cachestack's runtime kit for Python handlers, packaged into every Python
handler's zip (docs/handlers.md). The Redis cache (``redis_cache``) and the
Postgres pool (``postgres``) are modules of their own, imported only by handlers
that use them, so that a handler without a cache does not load redis-py."""

from .contract import ENV, WARM_PING_MARKER, HandlerEnvironmentError, HandlerSettings, decode_handler_environment, handler_settings
from .guard import INSTANCE_ID, is_warm_ping, warm_guard
from .keys import CacheKey, CacheKeyError, KeyBuilder
from .sdk import boto3_config, boto3_config_kwargs
from .values import json_default

__all__ = [
    "ENV",
    "WARM_PING_MARKER",
    "HandlerEnvironmentError",
    "HandlerSettings",
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
