"""boto3_config() turns the same CACHESTACK_* variables as sdkClientConfig() into a
botocore Config, and a real boto3 client with it talks to moto_server."""

import boto3
import botocore
import pytest

from cachestack_runtime.contract import decode_handler_environment
from cachestack_runtime.sdk import boto3_config, boto3_config_kwargs

SEED_000 = {
    "CACHESTACK_HTTP_MAX_SOCKETS": "50",
    "CACHESTACK_HTTP_KEEP_ALIVE": "true",
    "CACHESTACK_HTTP_CONNECT_TIMEOUT_MS": "10000",
    "CACHESTACK_HTTP_REQUEST_TIMEOUT_MS": "30000",
    "CACHESTACK_RETRY_MAX_ATTEMPTS": "3",
    "CACHESTACK_RETRY_MODE": "adaptive",
}


def test_given_the_goalsguild_settings_then_the_config_matches_the_seed():
    config = boto3_config(decode_handler_environment(SEED_000))
    assert config.max_pool_connections == 50
    assert config.tcp_keepalive is True
    assert config.connect_timeout == 10
    assert config.read_timeout == 30
    assert config.retries == {"total_max_attempts": 3, "mode": "adaptive"}


def test_given_an_empty_environment_then_the_defaults_match_the_typescript_kit():
    assert boto3_config_kwargs(decode_handler_environment({})) == {
        "max_pool_connections": 50,
        "tcp_keepalive": True,
        "connect_timeout": 3,
        "read_timeout": 5,
        "retries": {"total_max_attempts": 3, "mode": "standard"},
    }


def test_given_overrides_then_they_win():
    config = boto3_config(decode_handler_environment({}), region_name="eu-west-1")
    assert config.region_name == "eu-west-1"


def test_given_moto_when_a_dynamodb_client_uses_the_config_then_calls_work_and_the_pool_is_sized(moto_endpoint, aws_env):
    settings = decode_handler_environment({**SEED_000, "CACHESTACK_HTTP_MAX_SOCKETS": "7"})
    client = boto3.client("dynamodb", endpoint_url=moto_endpoint, config=boto3_config(settings))
    client.create_table(
        TableName="Users",
        KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName="Users", Item={"userId": {"S": "42"}, "name": {"S": "Ada"}})
    assert client.get_item(TableName="Users", Key={"userId": {"S": "42"}})["Item"]["name"]["S"] == "Ada"
    assert client.meta.config.max_pool_connections == 7
    assert client._endpoint.http_session._max_pool_connections == 7


@pytest.mark.parametrize("attempts", [1, 3])
def test_given_max_attempts_when_the_endpoint_refuses_connections_then_that_many_attempts_are_made(attempts, aws_env):
    from conftest import free_port

    env = {"CACHESTACK_RETRY_MAX_ATTEMPTS": str(attempts), "CACHESTACK_HTTP_CONNECT_TIMEOUT_MS": "200"}
    client = boto3.client("dynamodb", endpoint_url=f"http://127.0.0.1:{free_port()}", config=boto3_config(decode_handler_environment(env)))
    sent = []
    client.meta.events.register("before-send.dynamodb.*", lambda request, **_: sent.append(request.url))
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        client.list_tables()
    assert len(sent) == attempts
