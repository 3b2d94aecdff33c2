"""The Python example handlers end to end: course-registration's ``courses``
against moto_server's DynamoDB and a real redis-server (cache-aside on the list,
pattern invalidation after an update), and goalsguild's ``user-service`` against
moto (boto3 with the kit's settings). Each module is imported fresh with the
environment synthesis would set."""

import importlib
import json
import sys
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "handlers" / "examples"


def load(module, directory, monkeypatch, env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.syspath_prepend(str(directory))
    from cachestack_runtime import contract, redis_cache

    contract.reset_handler_settings()
    redis_cache._caches.clear()
    sys.modules.pop(module, None)
    return importlib.import_module(module)


def count_calls(client, operation):
    calls = []
    client.meta.events.register(f"before-call.dynamodb.{operation}", lambda **_: calls.append(1))
    return calls


@pytest.fixture()
def courses(moto_endpoint, aws_env, redis_client, redis_port, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    ddb = boto3.client("dynamodb", endpoint_url=moto_endpoint)
    if "courses-test" in ddb.list_tables()["TableNames"]:
        ddb.delete_table(TableName="courses-test")
    ddb.create_table(
        TableName="courses-test",
        KeySchema=[{"AttributeName": "courseId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "courseId", "AttributeType": "S"}, {"AttributeName": "semesterDepartment", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "semester-department", "KeySchema": [{"AttributeName": "semesterDepartment", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
        BillingMode="PAY_PER_REQUEST",
    )
    for cid, title in (("c1", "Databases"), ("c2", "Compilers")):
        ddb.put_item(TableName="courses-test", Item={"courseId": {"S": cid}, "semesterDepartment": {"S": "2026s#cs"}, "title": {"S": title}, "capacity": {"N": "30"}})
    keys = [
        {"name": "coursesSemesterDepartment", "pattern": "courses:semester:{semesterId}:department:{departmentId}", "ttlSeconds": 300},
        {"name": "course", "pattern": "course:{courseId}", "ttlSeconds": 300},
    ]
    env = {
        "COURSES_TABLE": "courses-test",
        "CACHESTACK_SERVICE": "course-registration",
        "CACHESTACK_HANDLER": "courses",
        "CACHESTACK_REDIS_CACHE": "course-reg-cache",
        "CACHESTACK_REDIS_HOST": "127.0.0.1",
        "CACHESTACK_REDIS_PORT": str(redis_port),
        "CACHESTACK_REDIS_TLS": "false",
        "CACHESTACK_REDIS_KEYS": json.dumps(keys),
        "CACHESTACK_RETRY_MAX_ATTEMPTS": "1",
    }
    mod = load("courses", EXAMPLES / "course-registration" / "python", monkeypatch, env)
    yield mod
    mod.cache.close()


def test_given_a_course_list_when_read_twice_then_dynamodb_is_queried_once_and_an_update_drops_the_semesters_lists(courses, redis_client):
    queries = count_calls(courses.dynamodb, "Query")
    get = {"httpMethod": "GET", "queryStringParameters": {"semester_id": "2026s", "department_id": "cs"}}
    first = courses.handler(get, None)
    second = courses.handler(get, None)
    assert first["statusCode"] == 200 and second["body"] == first["body"]
    assert sorted(c["title"] for c in json.loads(first["body"])["courses"]) == ["Compilers", "Databases"]
    assert len(queries) == 1
    assert redis_client.exists("courses:semester:2026s:department:cs") == 1
    redis_client.set("courses:semester:2026s:department:all", "[]")
    redis_client.set("courses:semester:2027f:department:cs", "[]")

    post = {"httpMethod": "POST", "pathParameters": {"course_id": "c1"}, "body": json.dumps({"title": "Databases II", "capacity": 25})}
    updated = courses.handler(post, None)
    assert updated["statusCode"] == 200 and json.loads(updated["body"])["title"] == "Databases II"
    assert json.loads(redis_client.get("course:c1"))["title"] == "Databases II"
    # every list of semester 2026s is gone (SCAN + UNLINK), other semesters stay
    assert redis_client.exists("courses:semester:2026s:department:cs", "courses:semester:2026s:department:all") == 0
    assert redis_client.get("courses:semester:2027f:department:cs") == "[]"
    third = courses.handler(get, None)
    assert "Databases II" in third["body"] and len(queries) == 2


def test_given_a_warm_ping_then_the_course_handler_answers_without_reading_dynamodb(courses):
    queries = count_calls(courses.dynamodb, "Query")
    reply = courses.handler({"source": "cachestack:warm-ping", "run": "t", "holdMs": 0}, None)
    assert reply["warm"] is True and queries == []


def test_given_the_goalsguild_user_service_then_profile_and_resolvers_read_dynamodb_through_the_kits_client(moto_endpoint, aws_env, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    ddb = boto3.client("dynamodb", endpoint_url=moto_endpoint)
    if "users-test" not in ddb.list_tables()["TableNames"]:
        ddb.create_table(TableName="users-test", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="users-test", Item={"id": {"S": "u-1"}, "nickname": {"S": "ada"}})
    env = {
        "USERS_TABLE": "users-test",
        "CACHESTACK_HTTP_MAX_SOCKETS": "50",
        "CACHESTACK_HTTP_CONNECT_TIMEOUT_MS": "10000",
        "CACHESTACK_HTTP_REQUEST_TIMEOUT_MS": "30000",
        "CACHESTACK_RETRY_MAX_ATTEMPTS": "4",
        "CACHESTACK_RETRY_MODE": "adaptive",
    }
    mod = load("user_service", EXAMPLES / "goalsguild-user-service" / "python", monkeypatch, env)
    config = mod.dynamodb.meta.config
    assert (config.max_pool_connections, config.connect_timeout, config.read_timeout, config.tcp_keepalive) == (50, 10, 30, True)
    assert config.retries == {"total_max_attempts": 4, "mode": "adaptive"}
    rest = mod.handler({"requestContext": {"authorizer": {"claims": {"sub": "u-1"}}}}, None)
    assert rest["statusCode"] == 200 and json.loads(rest["body"]) == {"id": "u-1", "nickname": "ada"}
    me = mod.handler({"info": {"parentTypeName": "Query", "fieldName": "me"}, "arguments": {}, "identity": {"sub": "u-1"}}, None)
    assert me == {"id": "u-1", "nickname": "ada"}
    other = mod.handler({"info": {"parentTypeName": "Query", "fieldName": "user"}, "arguments": {"userId": "u-2"}, "identity": {"sub": "u-1"}}, None)
    assert other is None
    assert mod.handler({"requestContext": {}}, None)["statusCode"] == 401
