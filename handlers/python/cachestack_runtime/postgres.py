"""Postgres pool settings for psycopg 3 from the environment (the handler's
``connections.postgres`` in the YAML), the counterpart of handlers/runtime/postgres.ts:

    from cachestack_runtime.postgres import postgres_pool

    pool = postgres_pool()            # module scope: a psycopg_pool.ConnectionPool, opened once per container
    with pool.connection() as conn:
        rows = conn.execute("SELECT ...", (user_id,)).fetchall()

``postgres_pool()`` needs ``psycopg_pool`` (``psycopg[binary,pool]`` in the
requirements). Without it, ``postgres_pool_settings()`` gives the same settings as
a dict to use with ``psycopg.connect`` or another pool:

==========================  =================================  ===========================================
YAML (``postgres``)         variable                           psycopg / psycopg_pool
==========================  =================================  ===========================================
``min``                     CACHESTACK_PG_MIN                  ``min_size``
``max``                     CACHESTACK_PG_MAX                  ``max_size``
``idleTimeoutMs``           CACHESTACK_PG_IDLE_TIMEOUT_MS      ``max_idle`` (s; psycopg_pool's least is 1 s)
``connectionTimeoutMs``     CACHESTACK_PG_CONNECTION_TIMEOUT_MS ``timeout`` (s, waiting for a connection) and
                                                               ``connect_timeout`` (s, libpq, at least 2)
``statementTimeoutMs``      CACHESTACK_PG_STATEMENT_TIMEOUT_MS ``options="-c statement_timeout=<ms>"``
``secret``                  CACHESTACK_PG_SECRET_ARN           host, port, user, password, dbname (RDS format)
==========================  =================================  ===========================================

TLS is ``sslmode=verify-full`` (see docs/handlers.md for the RDS CA bundle), and
``application_name`` is ``<service>/<handler>``.
"""

from __future__ import annotations

import json
import math
from typing import Any, Optional

from .contract import HandlerSettings, handler_settings


class PostgresSecretError(ValueError):
    pass


def postgres_connect_kwargs(settings: Optional[HandlerSettings] = None) -> Optional[dict[str, Any]]:
    """Keyword arguments of ``psycopg.connect`` (without host and credentials), or
    ``None`` when the function has no Postgres connection."""
    s = settings or handler_settings()
    pg = s.postgres
    if pg is None:
        return None
    kwargs: dict[str, Any] = {
        "sslmode": "verify-full",
        "connect_timeout": max(2, math.ceil(pg.connection_timeout_ms / 1000)),
        "application_name": f"{s.service}/{s.handler}"[:63],
    }
    if pg.statement_timeout_ms > 0:
        kwargs["options"] = f"-c statement_timeout={pg.statement_timeout_ms}"
    return kwargs


def postgres_pool_settings(settings: Optional[HandlerSettings] = None) -> Optional[dict[str, Any]]:
    """Keyword arguments of ``psycopg_pool.ConnectionPool`` (``kwargs`` holds the
    connection's), or ``None`` when the function has no Postgres connection."""
    s = settings or handler_settings()
    pg = s.postgres
    if pg is None:
        return None
    return {
        "min_size": pg.min,
        "max_size": max(pg.min, pg.max),
        "max_idle": max(1.0, pg.idle_timeout_ms / 1000),
        "timeout": pg.connection_timeout_ms / 1000,
        "kwargs": postgres_connect_kwargs(s),
    }


def postgres_connection_from_secret(secret: str, secret_id: str = "the postgres secret") -> dict[str, Any]:
    """Connection details from an RDS-format secret, as psycopg's keyword names."""
    try:
        parsed = json.loads(secret)
    except ValueError:
        raise PostgresSecretError(f"{secret_id} must be JSON with host, port, username, password and dbname (the RDS secret format)") from None
    missing = [k for k in ("host", "username", "password") if not isinstance(parsed.get(k), str) or parsed.get(k) == ""]
    if missing:
        raise PostgresSecretError(f"{secret_id} has no {', '.join(f'`{m}`' for m in missing)}; the RDS secret format has host, port, username, password and dbname")
    port = parsed.get("port", 5432)
    try:
        port = int(port)
    except (TypeError, ValueError):
        raise PostgresSecretError(f"{secret_id} has port {port!r}, which is not a port number") from None
    out = {"host": parsed["host"], "port": port, "user": parsed["username"], "password": parsed["password"]}
    if isinstance(parsed.get("dbname"), str):
        out["dbname"] = parsed["dbname"]
    return out


def postgres_pool(settings: Optional[HandlerSettings] = None, *, secrets_client: Any = None, **overrides: Any):
    """A ``psycopg_pool.ConnectionPool`` with the settings above and the connection
    details of the configured secret (read once per container)."""
    s = settings or handler_settings()
    base = postgres_pool_settings(s)
    if base is None:
        raise RuntimeError(f"handler `{s.handler}` has no postgres connection; add `connections: {{ postgres: {{ ... }} }}` to the handler in the YAML")
    try:
        from psycopg_pool import ConnectionPool
    except ImportError:
        raise ImportError("postgres_pool() needs psycopg_pool: add `psycopg[binary,pool]` to the handler's requirements, or use postgres_pool_settings()") from None
    kwargs = dict(base.pop("kwargs"))
    if s.postgres and s.postgres.secret_arn:
        from .secrets import read_secret

        kwargs.update(postgres_connection_from_secret(read_secret(s.postgres.secret_arn, secrets_client), f"secret {s.postgres.secret_arn}"))
    return ConnectionPool(kwargs=kwargs, **{**base, **overrides})
