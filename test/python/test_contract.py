"""The Python kit reads exactly the variables synthesis writes, with the
TypeScript kit's defaults. (test/contract.test.ts checks the same from the
TypeScript side against encodeHandlerEnvironment's output.)"""

import re
from pathlib import Path

import pytest

from cachestack_runtime.contract import ENV, HandlerEnvironmentError, decode_handler_environment

ROOT = Path(__file__).resolve().parents[2]


def ts_env_names() -> set[str]:
    text = (ROOT / "handlers" / "runtime" / "contract.ts").read_text()
    block = text[text.index("export const ENV = {"): text.index("} as const;")]
    return set(re.findall(r"'(CACHESTACK_[A-Z_]+)'", block))


class Recording(dict):
    """An environment that records every name the decoder asks for."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)


FULL = {
    "CACHESTACK_SERVICE": "user-service",
    "CACHESTACK_ENVIRONMENT": "prod",
    "CACHESTACK_HANDLER": "profile",
    "CACHESTACK_HTTP_KEEP_ALIVE": "true",
    "CACHESTACK_HTTP_MAX_SOCKETS": "50",
    "CACHESTACK_HTTP_CONNECT_TIMEOUT_MS": "10000",
    "CACHESTACK_HTTP_REQUEST_TIMEOUT_MS": "30000",
    "CACHESTACK_RETRY_MAX_ATTEMPTS": "3",
    "CACHESTACK_RETRY_MODE": "adaptive",
    "CACHESTACK_REDIS_CACHE": "sessions",
    "CACHESTACK_REDIS_HOST": "primary.example",
    "CACHESTACK_REDIS_READER_HOST": "reader.example",
    "CACHESTACK_REDIS_PORT": "6379",
    "CACHESTACK_REDIS_TLS": "true",
    "CACHESTACK_REDIS_CLUSTER_MODE": "false",
    "CACHESTACK_REDIS_AUTH_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-auth",
    "CACHESTACK_REDIS_POOL_SIZE": "10",
    "CACHESTACK_REDIS_COMMAND_TIMEOUT_MS": "500",
    "CACHESTACK_REDIS_CONNECT_TIMEOUT_MS": "2000",
    "CACHESTACK_REDIS_KEYS": '[{"name":"userProfile","pattern":"user:profile:{userId}","ttlSeconds":300}]',
    "CACHESTACK_DAX_CLUSTER": "hot",
    "CACHESTACK_DAX_ENDPOINT": "daxs://hot.example:9111",
    "CACHESTACK_DAX_REQUEST_TIMEOUT_MS": "1000",
    "CACHESTACK_PG_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:pg",
    "CACHESTACK_PG_MIN": "2",
    "CACHESTACK_PG_MAX": "10",
    "CACHESTACK_PG_IDLE_TIMEOUT_MS": "30000",
    "CACHESTACK_PG_CONNECTION_TIMEOUT_MS": "5000",
    "CACHESTACK_PG_STATEMENT_TIMEOUT_MS": "30000",
    "CACHESTACK_REST_STAGE_URL": "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
    "CACHESTACK_REST_REGION": "eu-west-1",
}


def test_given_the_typescript_contract_then_the_python_names_are_the_same_set():
    assert set(ENV.values()) == ts_env_names()
    assert set(FULL) == ts_env_names()


def test_given_every_variable_when_decoded_then_exactly_those_are_read():
    env = Recording(FULL)
    s = decode_handler_environment(env)
    assert env.read == set(ENV.values())
    assert s.http.max_sockets == 50 and s.http.connect_timeout_ms == 10000 and s.http.request_timeout_ms == 30000
    assert s.retries.max_attempts == 3 and s.retries.mode == "adaptive"
    assert s.redis.cache == "sessions" and s.redis.reader_host == "reader.example" and s.redis.pool_size == 10
    assert s.redis.keys[0].pattern == "user:profile:{userId}" and s.redis.keys[0].ttl_seconds == 300
    assert s.dax.endpoint == "daxs://hot.example:9111"
    assert s.postgres.min == 2 and s.postgres.statement_timeout_ms == 30000
    assert (s.rest_api.stage_url, s.rest_api.region) == ("https://abc123.execute-api.eu-west-1.amazonaws.com/prod", "eu-west-1")


def test_given_an_empty_environment_when_decoded_then_the_config_defaults_apply():
    s = decode_handler_environment({})
    assert (s.http.keep_alive, s.http.max_sockets, s.http.connect_timeout_ms, s.http.request_timeout_ms) == (True, 50, 3000, 5000)
    assert (s.retries.max_attempts, s.retries.mode) == (3, "standard")
    assert s.redis is None and s.dax is None and s.postgres is None and s.rest_api is None


@pytest.mark.parametrize(
    "env,region",
    [
        ({"CACHESTACK_REST_STAGE_URL": "https://a.example/v1"}, "us-east-1"),
        ({"CACHESTACK_REST_STAGE_URL": "https://a.example/v1", "AWS_REGION": "ap-south-1"}, "ap-south-1"),
        ({"CACHESTACK_REST_STAGE_URL": "https://a.example/v1", "CACHESTACK_REST_REGION": "eu-west-1", "AWS_REGION": "ap-south-1"}, "eu-west-1"),
        ({"CACHESTACK_REST_REGION": "eu-west-1"}, None),
    ],
)
def test_given_a_stage_url_when_decoded_then_the_region_falls_back_to_aws_region_then_us_east_1(env, region):
    s = decode_handler_environment(env)
    assert (s.rest_api.region if s.rest_api else None) == region


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("CACHESTACK_HTTP_MAX_SOCKETS", "many", "CACHESTACK_HTTP_MAX_SOCKETS must be a whole number"),
        ("CACHESTACK_HTTP_KEEP_ALIVE", "yes", "CACHESTACK_HTTP_KEEP_ALIVE must be true or false"),
        ("CACHESTACK_RETRY_MODE", "legacy", "CACHESTACK_RETRY_MODE must be standard or adaptive"),
    ],
)
def test_given_a_malformed_value_when_decoded_then_it_names_the_variable(name, value, message):
    with pytest.raises(HandlerEnvironmentError, match=message):
        decode_handler_environment({name: value})
