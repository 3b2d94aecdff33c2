"""Secrets Manager reads, once per execution environment per secret, with the
kit's boto3 settings. boto3 is imported on first use (the Lambda Python runtime
provides it), so a handler that reads no secret never loads it."""

from __future__ import annotations

import json
import threading
from typing import Any, Optional

_values: dict[str, str] = {}
_lock = threading.Lock()
_client: Any = None


def _default_client() -> Any:
    global _client
    if _client is None:
        import boto3

        from .sdk import boto3_config

        _client = boto3.client("secretsmanager", config=boto3_config())
    return _client


def read_secret(secret_id: str, client: Any = None) -> str:
    """The ``SecretString`` of a secret (AWSCURRENT), kept once read; a failed read
    is not kept, so the next call tries again."""
    with _lock:
        if secret_id in _values:
            return _values[secret_id]
    out = (client or _default_client()).get_secret_value(SecretId=secret_id)
    value = out.get("SecretString")
    if not isinstance(value, str):
        raise ValueError(f"secret {secret_id} has no SecretString (binary secrets are not supported)")
    with _lock:
        _values[secret_id] = value
    return value


def auth_token_from_secret(secret: str, secret_id: str = "the secret") -> str:
    """A Redis AUTH token from a secret's text: the plain string, or, when the secret
    is a JSON object, its ``authToken``, ``token`` or ``password`` field (first found)."""
    text = secret.strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            return text
        for name in ("authToken", "token", "password"):
            value = parsed.get(name)
            if isinstance(value, str) and value:
                return value
        raise ValueError(f"{secret_id} is a JSON object without an `authToken`, `token` or `password` field")
    if not text:
        raise ValueError(f"{secret_id} is empty")
    return text


def forget_secrets(client: Optional[Any] = None) -> None:
    """Forget every secret read so far, and the default client (tests)."""
    global _client
    with _lock:
        _values.clear()
    _client = client
