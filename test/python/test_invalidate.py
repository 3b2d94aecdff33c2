"""invalidate_endpoint against a loopback HTTP server standing in for the API
Gateway stage: it records each request, and the tests check what API Gateway
checks. The header-mode signature is recomputed here from the recorded request
with hashlib/hmac only (the SigV4 steps as AWS documents them), so the test does
not trust botocore to check botocore."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from cachestack_runtime import contract
from cachestack_runtime.contract import RestApiSettings
from cachestack_runtime.invalidate import InvalidationError, invalidate_endpoint

CREDENTIALS = {"access_key": "AKIDEXAMPLE", "secret_key": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
REGION = "eu-west-1"


@pytest.fixture()
def stage(loopback_stage):
    return loopback_stage


def settings(stage):
    return RestApiSettings(stage_url=stage.url, region=REGION)


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def _uri_encode(s: str) -> str:
    return quote(s, safe="-_.~")


def expected_signature(recorded: dict, secret: str) -> tuple[str, str]:
    """(the signature AWS would compute for the recorded request, the one it carries),
    the signature in the Authorization header or, presigned, in the query string."""
    url = urlsplit(recorded["path"])
    query = parse_qsl(url.query, keep_blank_values=True)
    q = dict(query)
    if "X-Amz-Signature" in q:
        carried = q["X-Amz-Signature"]
        signed_headers = q["X-Amz-SignedHeaders"].split(";")
        scope = q["X-Amz-Credential"].split("/", 1)[1]
        amz_date = q["X-Amz-Date"]
        query = [(k, v) for k, v in query if k != "X-Amz-Signature"]
    else:
        algorithm, _, rest = recorded["headers"]["authorization"].partition(" ")
        assert algorithm == "AWS4-HMAC-SHA256"
        fields = dict(part.strip().split("=", 1) for part in rest.split(","))
        carried = fields["Signature"]
        signed_headers = fields["SignedHeaders"].split(";")
        scope = fields["Credential"].split("/", 1)[1]
        amz_date = recorded["headers"]["x-amz-date"]
    date, region, service, terminator = scope.split("/")
    # path: each segment URI-encoded twice for services other than S3 (the wire form once more)
    canonical_path = quote(url.path, safe="/~")
    canonical_query = "&".join(f"{k}={v}" for k, v in sorted((_uri_encode(k), _uri_encode(v)) for k, v in query))
    canonical_headers = "".join(f"{h}:{' '.join(recorded['headers'][h].split())}\n" for h in signed_headers)
    canonical_request = "\n".join([recorded["method"], canonical_path, canonical_query, canonical_headers, ";".join(signed_headers), hashlib.sha256(b"").hexdigest()])
    string_to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
    key = _hmac(("AWS4" + secret).encode(), date)
    for part in (region, service, terminator):
        key = _hmac(key, part)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest(), carried


def test_given_no_caller_authorization_when_invalidating_then_the_signature_is_in_the_authorization_header_and_covers_cache_control(stage):
    status = invalidate_endpoint("get", "/users/a b", query={"lang": "en", "tag": ["b", "a"]}, headers={"X-Tenant": "t1"}, credentials=CREDENTIALS, stage=settings(stage))
    assert status == 200
    [req] = stage.requests
    assert req["method"] == "GET"
    assert urlsplit(req["path"]).path == "/v1/users/a%20b"
    assert parse_qsl(urlsplit(req["path"]).query) == [("lang", "en"), ("tag", "b"), ("tag", "a")]
    h = req["headers"]
    assert h["cache-control"] == "max-age=0"
    assert h["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
    assert f"/{REGION}/execute-api/aws4_request," in h["authorization"]
    signed = h["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    assert {"cache-control", "host", "x-amz-date", "x-tenant"} <= set(signed)
    assert len(h["x-amz-date"]) == 16 and h["x-amz-date"].endswith("Z")
    assert h["host"] == f"127.0.0.1:{stage.port}"
    computed, carried = expected_signature(req, CREDENTIALS["secret_key"])
    assert computed == carried
    # and the check can fail: another secret gives another signature
    wrong, _ = expected_signature(req, CREDENTIALS["secret_key"] + "x")
    assert wrong != carried


def test_given_a_session_token_when_invalidating_then_the_token_is_sent_and_signed(stage):
    invalidate_endpoint("GET", "/profile", credentials={**CREDENTIALS, "token": "session-token"}, stage=settings(stage))
    [req] = stage.requests
    assert req["headers"]["x-amz-security-token"] == "session-token"
    assert "x-amz-security-token" in req["headers"]["authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    computed, carried = expected_signature(req, CREDENTIALS["secret_key"])
    assert computed == carried


def test_given_the_callers_authorization_header_when_invalidating_then_the_signature_is_in_the_query_and_the_header_passes_through(stage):
    status = invalidate_endpoint("GET", "/users/a b", query={"tag": ["b", "a"]}, headers={"Authorization": "eyJraWQ.caller.token"}, credentials={**CREDENTIALS, "token": "tok"}, expires_in=60, stage=settings(stage))
    assert status == 200
    [req] = stage.requests
    assert urlsplit(req["path"]).path == "/v1/users/a%20b"
    assert [v for k, v in parse_qsl(urlsplit(req["path"]).query) if k == "tag"] == ["b", "a"]
    q = dict(parse_qsl(urlsplit(req["path"]).query))
    assert q["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert q["X-Amz-Credential"].startswith("AKIDEXAMPLE/") and q["X-Amz-Credential"].endswith(f"/{REGION}/execute-api/aws4_request")
    assert q["X-Amz-Expires"] == "60"
    assert set(q["X-Amz-SignedHeaders"].split(";")) == {"cache-control", "host"}
    assert len(q["X-Amz-Signature"]) == 64 and len(q["X-Amz-Date"]) == 16
    assert q["X-Amz-Security-Token"] == "tok"
    assert req["headers"]["authorization"] == "eyJraWQ.caller.token"
    assert req["headers"]["cache-control"] == "max-age=0"
    computed, carried = expected_signature(req, CREDENTIALS["secret_key"])
    assert computed == carried
    assert expected_signature(req, CREDENTIALS["secret_key"] + "x")[0] != carried


def test_given_a_403_when_invalidating_then_it_raises_invalidation_error(stage):
    stage.status = 403
    with pytest.raises(InvalidationError, match=r"refused to invalidate GET http://127\.0\.0\.1:\d+/v1/profile \(403\)") as err:
        invalidate_endpoint("GET", "/profile", credentials=CREDENTIALS, stage=settings(stage))
    assert err.value.status == 403
    assert len(stage.requests) == 1


def test_given_another_status_when_invalidating_then_it_is_returned(stage):
    stage.status = 404
    assert invalidate_endpoint("GET", "/profile", credentials=CREDENTIALS, stage=settings(stage)) == 404


def test_given_no_stage_in_the_environment_when_invalidating_then_it_raises_and_sends_nothing(monkeypatch):
    monkeypatch.delenv("CACHESTACK_REST_STAGE_URL", raising=False)
    contract.reset_handler_settings()
    try:
        with pytest.raises(InvalidationError, match=r"no REST API stage to invalidate.*invalidates.*CACHESTACK_REST_STAGE_URL is not set"):
            invalidate_endpoint("GET", "/profile", credentials=CREDENTIALS)
    finally:
        contract.reset_handler_settings()


def test_given_the_stage_in_the_environment_and_credentials_from_botocore_when_invalidating_then_both_are_used(stage, monkeypatch):
    monkeypatch.setenv("CACHESTACK_REST_STAGE_URL", stage.url)
    monkeypatch.setenv("CACHESTACK_REST_REGION", "ap-south-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENV")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret-from-env")
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    from cachestack_runtime import invalidate

    monkeypatch.setattr(invalidate, "_session", None)
    contract.reset_handler_settings()
    try:
        assert invalidate_endpoint("GET", "/profile") == 200
    finally:
        contract.reset_handler_settings()
    [req] = stage.requests
    assert "Credential=AKIDFROMENV/" in req["headers"]["authorization"] and "/ap-south-1/execute-api/aws4_request" in req["headers"]["authorization"]
    computed, carried = expected_signature(req, "secret-from-env")
    assert computed == carried


def test_given_a_path_without_a_leading_slash_then_it_is_refused(stage):
    with pytest.raises(InvalidationError, match="must start with"):
        invalidate_endpoint("GET", "profile", credentials=CREDENTIALS, stage=settings(stage))
    assert stage.requests == []


def test_given_the_package_when_imported_then_botocore_is_loaded_only_by_the_invalidate_module():
    import subprocess
    import sys
    from pathlib import Path

    kit = Path(__file__).resolve().parents[2] / "handlers" / "python"
    code = "import sys; sys.path.insert(0, sys.argv[1]); import cachestack_runtime; a = 'botocore' in sys.modules; from cachestack_runtime import invalidate_endpoint; print(a, 'botocore' in sys.modules)"
    out = subprocess.run([sys.executable, "-I", "-c", code, str(kit)], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]
