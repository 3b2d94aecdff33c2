"""boto3/botocore client settings from the environment, the Python counterpart of
``sdkClientConfig()`` (handlers/runtime/sdk.ts), read from the same variables:

    import boto3
    from cachestack_runtime import boto3_config

    dynamodb = boto3.client("dynamodb", config=boto3_config())   # module scope: once per container

================================  ====================================  =====================
YAML (``connections``)            variable                              ``botocore.config.Config``
================================  ====================================  =====================
``http.maxSockets``               CACHESTACK_HTTP_MAX_SOCKETS           ``max_pool_connections``
``http.keepAlive``                CACHESTACK_HTTP_KEEP_ALIVE            ``tcp_keepalive``
``http.connectTimeoutMs``         CACHESTACK_HTTP_CONNECT_TIMEOUT_MS    ``connect_timeout`` (s)
``http.requestTimeoutMs``         CACHESTACK_HTTP_REQUEST_TIMEOUT_MS    ``read_timeout`` (s)
``retries.maxAttempts``           CACHESTACK_RETRY_MAX_ATTEMPTS         ``retries.total_max_attempts``
``retries.mode``                  CACHESTACK_RETRY_MODE                 ``retries.mode``
================================  ====================================  =====================

``maxAttempts`` counts the first attempt, as in the AWS SDK for JavaScript, so it
becomes botocore's ``total_max_attempts``: botocore's ``max_attempts`` counts
retries only (``max_attempts: 3`` makes four attempts). botocore keeps HTTP
connections alive in its pool whatever ``tcp_keepalive`` says; ``tcp_keepalive``
adds TCP keep-alive probes, so an idle pooled connection that a NAT or load
balancer dropped is noticed. botocore is imported when ``boto3_config`` is
called: the Lambda Python runtime provides it.
"""

from __future__ import annotations

from typing import Any, Optional

from .contract import HandlerSettings, handler_settings


def boto3_config_kwargs(settings: Optional[HandlerSettings] = None) -> dict[str, Any]:
    """The keyword arguments of ``botocore.config.Config`` (see the module table)."""
    s = settings or handler_settings()
    return {
        "max_pool_connections": max(1, s.http.max_sockets),
        "tcp_keepalive": s.http.keep_alive,
        "connect_timeout": s.http.connect_timeout_ms / 1000,
        "read_timeout": s.http.request_timeout_ms / 1000,
        "retries": {"total_max_attempts": max(1, s.retries.max_attempts), "mode": s.retries.mode},
    }


def boto3_config(settings: Optional[HandlerSettings] = None, **overrides: Any):
    """A ``botocore.config.Config`` for any boto3 client or resource; ``overrides``
    (``region_name=...``) are merged over it."""
    from botocore.config import Config

    return Config(**{**boto3_config_kwargs(settings), **overrides})
