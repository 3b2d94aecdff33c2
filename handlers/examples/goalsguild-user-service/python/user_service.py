"""GoalsGuild ``user-service`` in Python, as the seed writes it (app/main.py with a
boto3 ``Config``), on the cachestack runtime kit (config/examples/goalsguild-user-service.yaml).

One function behind both APIs: REST ``GET /profile`` (cached by API Gateway per
Authorization header) and the AppSync resolvers ``Query.myProfile``, ``Query.me``
and ``Query.user`` (cached by AppSync per identity, and userId). The seed's
``AWS_CONFIG = Config(max_pool_connections=50, retries={'max_attempts': 3, 'mode':
'adaptive'}, read_timeout=30, connect_timeout=10, tcp_keepalive=True)`` is
``boto3_config()``, built from the YAML's ``connections``. The TypeScript
alternative is ../user-service.ts.
"""

import json
import os

import boto3
from boto3.dynamodb.types import TypeDeserializer

from cachestack_runtime import boto3_config, json_default, warm_guard

USERS_TABLE = os.environ.get("USERS_TABLE", "goalsguild-users")
# module scope: one client, and its connection pool, per execution environment
dynamodb = boto3.client("dynamodb", config=boto3_config(region_name=os.environ.get("AWS_REGION", "us-east-1")))
_deserialize = TypeDeserializer().deserialize


def get_user(user_id):
    out = dynamodb.get_item(TableName=USERS_TABLE, Key={"id": {"S": user_id}}, ConsistentRead=False)
    item = out.get("Item")
    return {k: _deserialize(v) for k, v in item.items()} if item else None


def resolve(event):
    sub = (event.get("identity") or {}).get("sub")
    if not sub:
        raise PermissionError("unauthorized: no cognito identity on the request")
    field = f"{event['info']['parentTypeName']}.{event['info']['fieldName']}"
    if field in ("Query.myProfile", "Query.me"):
        return get_user(sub)
    if field == "Query.user":
        user_id = (event.get("arguments") or {}).get("userId")
        if not user_id:
            raise ValueError("`userId` is required")
        return get_user(user_id)
    raise ValueError(f"no resolver for {field}")


def respond(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body, default=json_default)}


@warm_guard
def handler(event, context):
    if "info" in event and "arguments" in event:  # an AppSync resolver call
        return resolve(event)
    claims = ((event.get("requestContext") or {}).get("authorizer") or {}).get("claims") or {}
    sub = claims.get("sub")
    if not sub:
        return respond(401, {"message": "unauthorized"})
    user = get_user(sub)
    return respond(200, user) if user else respond(404, {"message": f"no user {sub}"})
