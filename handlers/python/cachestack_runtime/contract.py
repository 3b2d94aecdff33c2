"""The contract between synthesis and the code that runs inside Lambda, Python side.

Synthesis writes a function's ``CACHESTACK_*`` environment variables from the YAML
(``encodeHandlerEnvironment`` in handlers/runtime/contract.ts); this module reads
them back with the same names and the same defaults as the TypeScript kit's
``decodeHandlerEnvironment``. ``ENV`` below is the only place the Python kit names
a variable: a test (test/python/test_contract.py and test/contract.test.ts) proves
that both kits read exactly the variables synthesis writes, no more and no fewer.
No dependencies.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

#: Environment variable names, all under the ``CACHESTACK_`` prefix (the same keys
#: as ``ENV`` in handlers/runtime/contract.ts, in snake_case).
ENV: dict[str, str] = {
    "service": "CACHESTACK_SERVICE",
    "environment": "CACHESTACK_ENVIRONMENT",
    "handler": "CACHESTACK_HANDLER",
    "http_keep_alive": "CACHESTACK_HTTP_KEEP_ALIVE",
    "http_max_sockets": "CACHESTACK_HTTP_MAX_SOCKETS",
    "http_connect_timeout_ms": "CACHESTACK_HTTP_CONNECT_TIMEOUT_MS",
    "http_request_timeout_ms": "CACHESTACK_HTTP_REQUEST_TIMEOUT_MS",
    "retry_max_attempts": "CACHESTACK_RETRY_MAX_ATTEMPTS",
    "retry_mode": "CACHESTACK_RETRY_MODE",
    "redis_cache": "CACHESTACK_REDIS_CACHE",
    "redis_host": "CACHESTACK_REDIS_HOST",
    "redis_reader_host": "CACHESTACK_REDIS_READER_HOST",
    "redis_port": "CACHESTACK_REDIS_PORT",
    "redis_tls": "CACHESTACK_REDIS_TLS",
    "redis_cluster_mode": "CACHESTACK_REDIS_CLUSTER_MODE",
    "redis_auth_secret_arn": "CACHESTACK_REDIS_AUTH_SECRET_ARN",
    "redis_pool_size": "CACHESTACK_REDIS_POOL_SIZE",
    "redis_command_timeout_ms": "CACHESTACK_REDIS_COMMAND_TIMEOUT_MS",
    "redis_connect_timeout_ms": "CACHESTACK_REDIS_CONNECT_TIMEOUT_MS",
    "redis_keys": "CACHESTACK_REDIS_KEYS",
    "dax_cluster": "CACHESTACK_DAX_CLUSTER",
    "dax_endpoint": "CACHESTACK_DAX_ENDPOINT",
    "dax_request_timeout_ms": "CACHESTACK_DAX_REQUEST_TIMEOUT_MS",
    "pg_secret_arn": "CACHESTACK_PG_SECRET_ARN",
    "pg_min": "CACHESTACK_PG_MIN",
    "pg_max": "CACHESTACK_PG_MAX",
    "pg_idle_timeout_ms": "CACHESTACK_PG_IDLE_TIMEOUT_MS",
    "pg_connection_timeout_ms": "CACHESTACK_PG_CONNECTION_TIMEOUT_MS",
    "pg_statement_timeout_ms": "CACHESTACK_PG_STATEMENT_TIMEOUT_MS",
    # invoke URL of the REST API stage, for handlers with `invalidates`
    "rest_stage_url": "CACHESTACK_REST_STAGE_URL",
    # region the stage's SigV4 signatures name
    "rest_region": "CACHESTACK_REST_REGION",
}

#: The payload the warmer sends and the guard recognises (``WARM_PING_MARKER`` in TypeScript).
WARM_PING_MARKER = "cachestack:warm-ping"


class HandlerEnvironmentError(ValueError):
    """The environment does not hold what synthesis writes (a malformed value)."""


@dataclass(frozen=True)
class HttpSettings:
    keep_alive: bool = True
    max_sockets: int = 50
    connect_timeout_ms: int = 3000
    request_timeout_ms: int = 5000


@dataclass(frozen=True)
class RetrySettings:
    max_attempts: int = 3
    mode: str = "standard"


@dataclass(frozen=True)
class RedisKeySetting:
    name: str
    pattern: str
    ttl_seconds: int


@dataclass(frozen=True)
class RedisSettings:
    cache: str
    host: str
    port: int = 6379
    reader_host: Optional[str] = None
    tls: bool = True
    cluster_mode: bool = False
    auth_secret_arn: Optional[str] = None
    pool_size: int = 1
    command_timeout_ms: int = 500
    connect_timeout_ms: int = 2000
    keys: tuple[RedisKeySetting, ...] = ()


@dataclass(frozen=True)
class DaxSettings:
    cluster: str
    endpoint: str
    request_timeout_ms: int = 1000


@dataclass(frozen=True)
class PostgresSettings:
    secret_arn: Optional[str] = None
    min: int = 0
    max: int = 10
    idle_timeout_ms: int = 10000
    connection_timeout_ms: int = 5000
    statement_timeout_ms: int = 30000


@dataclass(frozen=True)
class RestApiSettings:
    """The REST API stage this handler may invalidate entries of (``invalidates``)."""

    #: ``https://<id>.execute-api.<region>.<dns suffix>/<stage>``
    stage_url: str
    region: str


@dataclass(frozen=True)
class HandlerSettings:
    service: str = "local"
    handler: str = "local"
    environment: Optional[str] = None
    http: HttpSettings = field(default_factory=HttpSettings)
    retries: RetrySettings = field(default_factory=RetrySettings)
    redis: Optional[RedisSettings] = None
    dax: Optional[DaxSettings] = None
    postgres: Optional[PostgresSettings] = None
    rest_api: Optional[RestApiSettings] = None


def _int(env: Mapping[str, str], key: str, fallback: int) -> int:
    name = ENV[key]
    raw = env.get(name)
    if raw is None or raw == "":
        return fallback
    if not raw.isdigit():
        raise HandlerEnvironmentError(f"{name} must be a whole number, got {json.dumps(raw)}")
    return int(raw)


def _bool(env: Mapping[str, str], key: str, fallback: bool) -> bool:
    name = ENV[key]
    raw = env.get(name)
    if raw is None or raw == "":
        return fallback
    if raw == "true":
        return True
    if raw == "false":
        return False
    raise HandlerEnvironmentError(f"{name} must be true or false, got {json.dumps(raw)}")


def _str(env: Mapping[str, str], key: str) -> Optional[str]:
    raw = env.get(ENV[key])
    return raw if raw else None


def decode_handler_environment(env: Optional[Mapping[str, str]] = None) -> HandlerSettings:
    """Environment variables -> settings, with the config language's defaults for
    missing variables (so a handler also runs locally with an empty environment).
    A malformed value raises ``HandlerEnvironmentError`` naming the variable."""
    env = os.environ if env is None else env
    mode = env.get(ENV["retry_mode"]) or "standard"
    if mode not in ("standard", "adaptive"):
        raise HandlerEnvironmentError(f"{ENV['retry_mode']} must be standard or adaptive, got {json.dumps(mode)}")
    redis = None
    host = _str(env, "redis_host")
    if host:
        keys: list[Any] = []
        raw_keys = env.get(ENV["redis_keys"])
        if raw_keys:
            try:
                keys = json.loads(raw_keys)
            except ValueError:
                raise HandlerEnvironmentError(f"{ENV['redis_keys']} must be JSON, got {json.dumps(raw_keys[:80])}") from None
            if not isinstance(keys, list):
                raise HandlerEnvironmentError(f"{ENV['redis_keys']} must be a JSON list")
        redis = RedisSettings(
            cache=_str(env, "redis_cache") or "default",
            host=host,
            reader_host=_str(env, "redis_reader_host"),
            port=_int(env, "redis_port", 6379),
            tls=_bool(env, "redis_tls", True),
            cluster_mode=_bool(env, "redis_cluster_mode", False),
            auth_secret_arn=_str(env, "redis_auth_secret_arn"),
            pool_size=_int(env, "redis_pool_size", 1),
            command_timeout_ms=_int(env, "redis_command_timeout_ms", 500),
            connect_timeout_ms=_int(env, "redis_connect_timeout_ms", 2000),
            keys=tuple(RedisKeySetting(name=k["name"], pattern=k["pattern"], ttl_seconds=int(k["ttlSeconds"])) for k in keys),
        )
    dax = None
    endpoint = _str(env, "dax_endpoint")
    if endpoint:
        dax = DaxSettings(
            cluster=_str(env, "dax_cluster") or "default",
            endpoint=endpoint,
            request_timeout_ms=_int(env, "dax_request_timeout_ms", 1000),
        )
    postgres = None
    if _str(env, "pg_max") or _str(env, "pg_secret_arn"):
        postgres = PostgresSettings(
            secret_arn=_str(env, "pg_secret_arn"),
            min=_int(env, "pg_min", 0),
            max=_int(env, "pg_max", 10),
            idle_timeout_ms=_int(env, "pg_idle_timeout_ms", 10000),
            connection_timeout_ms=_int(env, "pg_connection_timeout_ms", 5000),
            statement_timeout_ms=_int(env, "pg_statement_timeout_ms", 30000),
        )
    rest_api = None
    stage_url = _str(env, "rest_stage_url")
    if stage_url:
        rest_api = RestApiSettings(stage_url=stage_url, region=_str(env, "rest_region") or env.get("AWS_REGION") or "us-east-1")
    return HandlerSettings(
        service=env.get(ENV["service"]) or "local",
        environment=_str(env, "environment"),
        handler=env.get(ENV["handler"]) or "local",
        http=HttpSettings(
            keep_alive=_bool(env, "http_keep_alive", True),
            max_sockets=_int(env, "http_max_sockets", 50),
            connect_timeout_ms=_int(env, "http_connect_timeout_ms", 3000),
            request_timeout_ms=_int(env, "http_request_timeout_ms", 5000),
        ),
        retries=RetrySettings(max_attempts=_int(env, "retry_max_attempts", 3), mode=mode),
        redis=redis,
        dax=dax,
        postgres=postgres,
        rest_api=rest_api,
    )


_cached: Optional[HandlerSettings] = None


def handler_settings() -> HandlerSettings:
    """The settings of this function, read from ``os.environ`` on first use and kept
    for the life of the execution environment."""
    global _cached
    if _cached is None:
        _cached = decode_handler_environment()
    return _cached


def reset_handler_settings() -> None:
    """Forget the cached settings (tests)."""
    global _cached
    _cached = None
