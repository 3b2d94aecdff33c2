"""The Python example handlers end to end: course-registration's ``courses``
against moto_server's DynamoDB and a real redis-server (cache-aside on the list,
pattern invalidation after an update), and goalsguild's ``user-service`` against
moto (boto3 with the kit's settings). Each module is imported fresh with the
environment synthesis would set."""

import importlib
import json
import sys
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

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


@pytest.fixture()
def user_service(moto_endpoint, aws_env, loopback_stage, monkeypatch):
    """goalsguild's user-service against moto, with the stage URL synthesis writes for
    `invalidates` pointing at a loopback server that stands in for API Gateway."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    ddb = boto3.client("dynamodb", endpoint_url=moto_endpoint)
    if "users-test" not in ddb.list_tables()["TableNames"]:
        ddb.create_table(TableName="users-test", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}], AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName="users-test", Item={"id": {"S": "u-1"}, "email": {"S": "ada@example.com"}, "nickname": {"S": "ada"}, "createdAt": {"S": "2026-01-01T00:00:00.000Z"}})
    ddb.delete_item(TableName="users-test", Key={"id": {"S": "u-missing"}})
    env = {
        "USERS_TABLE": "users-test",
        "CACHESTACK_RETRY_MAX_ATTEMPTS": "1",
        "CACHESTACK_REST_STAGE_URL": loopback_stage.url,
        "CACHESTACK_REST_REGION": "us-east-1",
    }
    from cachestack_runtime import invalidate

    monkeypatch.setattr(invalidate, "_session", None)  # credentials from this test's environment
    mod = load("user_service", EXAMPLES / "goalsguild-user-service" / "python", monkeypatch, env)
    return mod, ddb, loopback_stage


def put_profile(body, sub="u-1", authorization="eyJraWQ.caller-token"):
    return {
        "httpMethod": "PUT",
        "resource": "/profile",
        "headers": {"Authorization": authorization, "content-type": "application/json"},
        "requestContext": {"authorizer": {"claims": {"sub": sub}}},
        "body": body if isinstance(body, str) else json.dumps(body),
    }


def test_given_put_profile_then_dynamodb_is_updated_and_the_callers_cached_get_profile_is_refreshed(user_service):
    mod, ddb, stage = user_service
    reply = mod.handler(put_profile({"nickname": "ada l.", "country": "UK", "email": "ignored@example.com"}), None)
    assert reply["statusCode"] == 200
    user = json.loads(reply["body"])
    assert (user["nickname"], user["country"], user["email"]) == ("ada l.", "UK", "ada@example.com")
    item = ddb.get_item(TableName="users-test", Key={"id": {"S": "u-1"}})["Item"]
    assert item["nickname"] == {"S": "ada l."} and item["country"] == {"S": "UK"} and item["email"] == {"S": "ada@example.com"}
    assert item["updatedAt"]["S"] == user["updatedAt"] and user["updatedAt"].endswith("Z")
    # one signed GET /profile with max-age=0, carrying the caller's token (the cache key), signature in the query
    [req] = stage.requests
    url = urlsplit(req["path"])
    query = dict(parse_qsl(url.query))
    assert (req["method"], url.path) == ("GET", "/v1/profile")
    assert req["headers"]["cache-control"] == "max-age=0"
    assert req["headers"]["authorization"] == "eyJraWQ.caller-token"
    assert query["X-Amz-Credential"].startswith("testing/") and query["X-Amz-Credential"].endswith("/us-east-1/execute-api/aws4_request")
    assert "cache-control" in query["X-Amz-SignedHeaders"].split(";") and len(query["X-Amz-Signature"]) == 64


def test_given_put_profile_when_the_refresh_is_refused_then_the_update_still_succeeds_and_a_warning_is_logged(user_service, capsys):
    mod, ddb, stage = user_service
    stage.status = 403
    reply = mod.handler(put_profile({"fullName": "Ada Lovelace"}), None)
    assert reply["statusCode"] == 200 and json.loads(reply["body"])["fullName"] == "Ada Lovelace"
    assert ddb.get_item(TableName="users-test", Key={"id": {"S": "u-1"}})["Item"]["fullName"] == {"S": "Ada Lovelace"}
    assert len(stage.requests) == 1
    [line] = [json.loads(l) for l in capsys.readouterr().out.splitlines() if "could not refresh" in l]
    assert line["level"] == "warn" and "(403)" in line["error"]


@pytest.mark.parametrize(
    "body,status,message",
    [
        ({"nickname": 42}, 400, "`nickname` must be a string"),
        ({"country": None}, 400, "`country` must be a string"),
        ("not json", 400, "request body is not JSON"),
        ("[1]", 400, "request body must be a JSON object"),
        ("", 400, "request body is empty; send a JSON object"),
    ],
)
def test_given_a_bad_put_profile_then_it_is_a_400_and_nothing_is_written_or_invalidated(user_service, body, status, message):
    mod, ddb, stage = user_service
    reply = mod.handler(put_profile(body), None)
    assert (reply["statusCode"], json.loads(reply["body"])["message"]) == (status, message)
    assert "updatedAt" not in ddb.get_item(TableName="users-test", Key={"id": {"S": "u-1"}})["Item"]
    assert stage.requests == []


def test_given_put_profile_for_a_caller_without_a_profile_then_404_and_no_item_is_created(user_service):
    mod, ddb, stage = user_service
    reply = mod.handler(put_profile({"nickname": "ghost"}, sub="u-missing"), None)
    assert reply["statusCode"] == 404
    assert "Item" not in ddb.get_item(TableName="users-test", Key={"id": {"S": "u-missing"}})
    assert stage.requests == []


def test_given_mutation_update_profile_then_the_caller_is_updated_and_returned_without_a_rest_invalidation(user_service):
    mod, ddb, stage = user_service
    event = {"info": {"parentTypeName": "Mutation", "fieldName": "updateProfile"}, "arguments": {"input": {"nickname": "countess"}}, "identity": {"sub": "u-1"}}
    user = mod.handler(event, None)
    assert user["id"] == "u-1" and user["nickname"] == "countess" and user["email"] == "ada@example.com" and user["updatedAt"]
    assert ddb.get_item(TableName="users-test", Key={"id": {"S": "u-1"}})["Item"]["nickname"] == {"S": "countess"}
    # AppSync evicts its own entries (the YAML's `evicts`); the REST stage is not called
    assert stage.requests == []
    with pytest.raises(Exception, match="`country` must be a string"):
        mod.handler({**event, "arguments": {"input": {"country": 1}}}, None)
    with pytest.raises(PermissionError):
        mod.handler({**event, "identity": None}, None)
