"""Per-entry invalidation of the API Gateway stage cache, for handlers whose YAML
says ``invalidates: ["GET /profile", ...]``; the Python counterpart of
``invalidateEndpoint`` (handlers/runtime/invalidate.ts)::

    from cachestack_runtime.invalidate import invalidate_endpoint

    invalidate_endpoint("GET", "/profile", headers={"Authorization": event["headers"]["Authorization"]})

API Gateway drops and refills one cache entry when a request for it carries
``Cache-Control: max-age=0`` and (with ``requireAuthorization: true``, the
default) is signed with SigV4 by a principal allowed ``execute-api:InvalidateCache``
on that method; synthesis grants exactly that to the handler's role and puts the
stage URL in the environment (``CACHESTACK_REST_STAGE_URL``, region in
``CACHESTACK_REST_REGION``). The entry is the one whose cache key values the
request carries: pass the same ``query`` and ``headers`` the cached request had (a
``header.Authorization`` key means the caller's token).

Where the signature goes: in the ``Authorization`` header, unless the request must
carry an ``Authorization`` header of its own (a Cognito or Lambda-authorized
endpoint, or one keyed on ``header.Authorization``): then the signature goes in
the query string (``X-Amz-Signature``, a presigned request valid for 60 s), which
API Gateway also accepts and which is not part of the cache key.
``cache-control`` is always among the signed headers: the signature covers the
intent to invalidate.

Signing is botocore's own (``SigV4Auth`` / ``SigV4QueryAuth``, service
``execute-api``) with botocore's credentials (the default chain: in Lambda, the
role's session); the request goes out with ``urllib``. botocore is imported when
this module is, and only handlers that invalidate import it (the Lambda Python
runtime ships botocore).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from typing import Any, Mapping, NamedTuple, Optional, Sequence, Union
from urllib.parse import quote, unquote, urlsplit

from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode_sequence

from .contract import RestApiSettings, handler_settings

__all__ = ["InvalidationError", "SignedInvalidation", "invalidate_endpoint", "signed_invalidation"]

QueryValue = Union[str, Sequence[str]]


class InvalidationError(Exception):
    """Raised when the function has no stage to invalidate, or API Gateway refuses
    the invalidation (``status`` 403)."""

    def __init__(self, message: str, status: Optional[int] = None):
        super().__init__(message)
        self.status = status


class SignedInvalidation(NamedTuple):
    """The request ``invalidate_endpoint`` sends, signed (for tests and for callers
    with their own HTTP client)."""

    method: str
    url: str
    headers: dict[str, str]


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _decode_segment(segment: str) -> str:
    """``decodeURIComponent``, or the segment unchanged where that would throw."""
    if _BAD_ESCAPE.search(segment):
        return segment
    try:
        return unquote(segment, errors="strict")
    except UnicodeDecodeError:
        return segment


def encode_path(path: str) -> str:
    """``/users/a b`` -> ``/users/a%20b``: each segment percent-encoded as it goes on
    the wire (already-encoded ``%XX`` kept), as ``encodeURIComponent`` does in the
    TypeScript kit."""
    return "/".join(quote(_decode_segment(seg), safe="!'()*~") for seg in path.split("/"))


def _host(parts) -> str:
    """``host[:port]``, the port left out when it is the scheme's default (as ``URL.host``)."""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return f"{host}:{port}" if port is not None and port != default else host


_session: Any = None


def _default_credentials():
    """The default credential chain of botocore (environment, then the Lambda role's
    session, ...), one session per execution environment."""
    global _session
    if _session is None:
        import botocore.session

        _session = botocore.session.get_session()
    return _session.get_credentials()


def _frozen(credentials: Any) -> Credentials:
    """botocore credentials (refreshable ones are refreshed when due) or a mapping
    with ``access_key``, ``secret_key`` and optionally ``token``."""
    if credentials is None:
        credentials = _default_credentials()
    if credentials is None:
        raise InvalidationError("no AWS credentials to sign the invalidation with (botocore's credential chain found none)")
    if isinstance(credentials, Mapping):
        return Credentials(credentials["access_key"], credentials["secret_key"], credentials.get("token"))
    if hasattr(credentials, "get_frozen_credentials"):
        credentials = credentials.get_frozen_credentials()
    return Credentials(credentials.access_key, credentials.secret_key, credentials.token)


def signed_invalidation(
    method: str,
    path: str,
    query: Optional[Mapping[str, QueryValue]] = None,
    headers: Optional[Mapping[str, str]] = None,
    credentials: Any = None,
    expires_in: int = 60,
    stage: Optional[RestApiSettings] = None,
) -> SignedInvalidation:
    """The signed request (method, URL, headers) for ``method path``; see ``invalidate_endpoint``."""
    stage = stage or handler_settings().rest_api
    if stage is None:
        raise InvalidationError(
            "this function has no REST API stage to invalidate: list the endpoints in `invalidates` of its handler in the YAML "
            "(CACHESTACK_REST_STAGE_URL is not set)"
        )
    if not path.startswith("/"):
        raise InvalidationError(f'the path must start with "/", got {path!r}')
    base = urlsplit(stage.stage_url)
    host = _host(base)
    full_path = base.path.rstrip("/") + encode_path(path)
    origin = f"{base.scheme}://{host}"
    user_headers = {k.lower(): v for k, v in (headers or {}).items()}
    params = {k: (v if isinstance(v, str) else list(v)) for k, v in (query or {}).items()}
    frozen = _frozen(credentials)
    method = method.upper()
    if "authorization" in user_headers:
        # The request carries the caller's Authorization header: the signature goes in
        # the query string, and signs only host and cache-control (the caller's
        # headers are sent as they are, unsigned, like the TS kit's unsignableHeaders).
        request = AWSRequest(method=method, url=origin + full_path, headers={"host": host, "cache-control": "max-age=0"}, params=params)
        SigV4QueryAuth(frozen, "execute-api", stage.region, expires=expires_in).add_auth(request)
    else:
        # keys sorted, a key's values in the caller's order (the order is part of the request), as the TS kit
        qs = percent_encode_sequence([(k, v) for k, vs in sorted(params.items()) for v in ([vs] if isinstance(vs, str) else vs)])
        url = origin + full_path + (f"?{qs}" if qs else "")
        request = AWSRequest(method=method, url=url, headers={**user_headers, "host": host, "cache-control": "max-age=0"})
        SigV4Auth(frozen, "execute-api", stage.region).add_auth(request)
    out = {k.lower(): v for k, v in user_headers.items()}
    out.update({k.lower(): v for k, v in request.headers.items()})
    return SignedInvalidation(method, request.url, out)


def invalidate_endpoint(
    method: str,
    path: str,
    query: Optional[Mapping[str, QueryValue]] = None,
    headers: Optional[Mapping[str, str]] = None,
    credentials: Any = None,
    expires_in: int = 60,
    stage: Optional[RestApiSettings] = None,
    timeout: Optional[float] = None,
) -> int:
    """Drop and refill the stage cache entry of ``method path`` (a concrete path such
    as ``/users/42``) and return the HTTP status of the refreshing request.

    ``query`` and ``headers`` are those of the cached request (its cache key
    values); ``credentials`` default to botocore's credential chain; ``expires_in``
    is how long a query-string signature stays valid; ``stage`` defaults to the
    environment's (``CACHESTACK_REST_STAGE_URL``); ``timeout`` (seconds) to the
    handler's ``connections.http.requestTimeoutMs``. Raises ``InvalidationError``
    when there is no stage, and on 403 (the role may not invalidate this method,
    or the endpoint is not in ``invalidates``)."""
    signed = signed_invalidation(method, path, query=query, headers=headers, credentials=credentials, expires_in=expires_in, stage=stage)
    if timeout is None:
        timeout = handler_settings().http.request_timeout_ms / 1000
    request = urllib.request.Request(signed.url, method=signed.method, headers=signed.headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (the stage URL synthesis wrote)
            response.read()
            status = response.status
    except urllib.error.HTTPError as err:
        err.read()
        err.close()
        status = err.code
    if status == 403:
        url = signed.url.split("?", 1)[0]
        raise InvalidationError(f"API Gateway refused to invalidate {signed.method} {url} (403): is the endpoint in `invalidates` of this handler?", 403)
    return status
