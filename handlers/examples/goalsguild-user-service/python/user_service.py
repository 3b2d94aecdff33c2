"""GoalsGuild ``user-service`` in Python, as the seed writes it (app/main.py with a
boto3 ``Config``), on the cachestack runtime kit (config/examples/goalsguild-user-service.yaml).

One function behind both APIs: REST ``GET /profile`` (cached by API Gateway per
Authorization header) and ``PUT /profile``, and the AppSync resolvers
``Query.myProfile``, ``Query.me`` and ``Query.user`` (cached by AppSync per
identity, and userId) and ``Mutation.updateProfile``. The seed's
``AWS_CONFIG = Config(max_pool_connections=50, retries={'max_attempts': 3, 'mode':
'adaptive'}, read_timeout=30, connect_timeout=10, tcp_keepalive=True)`` is
``boto3_config()``, built from the YAML's ``connections``. The TypeScript
alternative is ../user-service.ts.

Profile updates invalidate the caller's cached entries: PUT /profile refreshes the
caller's GET /profile entry with ``invalidate_endpoint`` (the YAML's
``invalidates`` grants it), and the Mutation.updateProfile resolver evicts the
caller's myProfile, me and user entries itself (the YAML's ``evicts``: AppSync does
it after this function returns, nothing to do here).
"""

import base64
import binascii
import json
import os
from datetime import datetime, timezone

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from cachestack_runtime import boto3_config, json_default, warm_guard
from cachestack_runtime.invalidate import invalidate_endpoint

USERS_TABLE = os.environ.get("USERS_TABLE", "goalsguild-users")
# module scope: one client, and its connection pool, per execution environment
dynamodb = boto3.client("dynamodb", config=boto3_config(region_name=os.environ.get("AWS_REGION", "us-east-1")))
_deserialize = TypeDeserializer().deserialize
_serialize = TypeSerializer().serialize

#: The fields a profile update may change.
EDITABLE = ("nickname", "fullName", "country")


class HttpError(Exception):
    """An error with the HTTP status the client should see."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def get_user(user_id):
    out = dynamodb.get_item(TableName=USERS_TABLE, Key={"id": {"S": user_id}}, ConsistentRead=False)
    item = out.get("Item")
    return {k: _deserialize(v) for k, v in item.items()} if item else None


def update_user(user_id, data):
    """Set the given editable fields and ``updatedAt``; the updated user, or None when there is none."""
    changes = [f for f in EDITABLE if f in data]
    for f in changes:
        if not isinstance(data[f], str):
            raise HttpError(400, f"`{f}` must be a string")
    now = datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    # every attribute goes through a #name: some field names are DynamoDB reserved words
    names = {f"#{f}": f for f in ("updatedAt", *changes)}
    values = {":updatedAt": now, **{f":{f}": data[f] for f in changes}}
    try:
        out = dynamodb.update_item(
            TableName=USERS_TABLE,
            Key={"id": {"S": user_id}},
            UpdateExpression="SET " + ", ".join(f"#{f} = :{f}" for f in ("updatedAt", *changes)),
            ConditionExpression="attribute_exists(id)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={k: _serialize(v) for k, v in values.items()},
            ReturnValues="ALL_NEW",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        return None
    return {k: _deserialize(v) for k, v in out["Attributes"].items()}


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
    if field == "Mutation.updateProfile":
        return update_user(sub, (event.get("arguments") or {}).get("input") or {})
    raise ValueError(f"no resolver for {field}")


def respond(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body, default=json_default)}


def caller_id(event):
    """The caller's user id: the Cognito ``sub`` claim, or what a Lambda authorizer put in its context."""
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    user_id = (authorizer.get("claims") or {}).get("sub") or authorizer.get("userId") or authorizer.get("principalId")
    if not isinstance(user_id, str) or not user_id:
        raise HttpError(401, "no caller identity on the request")
    return user_id


def json_body(event):
    """The JSON body of a request, as a dict."""
    body = event.get("body")
    if not body:
        raise HttpError(400, "request body is empty; send a JSON object")
    try:
        text = base64.b64decode(body).decode("utf-8") if event.get("isBase64Encoded") else body
        parsed = json.loads(text)
    except (ValueError, binascii.Error):
        raise HttpError(400, "request body is not JSON") from None
    if not isinstance(parsed, dict):
        raise HttpError(400, "request body must be a JSON object")
    return parsed


def refresh_cached_profile(event):
    """The caller's GET /profile entry is keyed on their Authorization header: refresh exactly
    that one. The update has committed: a failed refresh is logged, and the entry expires with its TTL."""
    headers = event.get("headers") or {}
    authorization = headers.get("Authorization") or headers.get("authorization") or ""
    try:
        invalidate_endpoint("GET", "/profile", headers={"Authorization": authorization})
    except Exception as err:  # noqa: BLE001 (any failure: log and answer the update)
        print(json.dumps({"level": "warn", "msg": "could not refresh the cached GET /profile", "error": str(err)}))


def rest(event):
    if event.get("httpMethod") == "PUT":
        user = update_user(caller_id(event), json_body(event))
        if not user:
            raise HttpError(404, "no profile for the caller")
        refresh_cached_profile(event)
        return respond(200, user)
    user = get_user(caller_id(event))
    if not user:
        raise HttpError(404, "no profile for the caller")
    return respond(200, user)


@warm_guard
def handler(event, context):
    if "info" in event and "arguments" in event:  # an AppSync resolver call: an exception becomes a GraphQL error
        return resolve(event)
    try:
        return rest(event)
    except HttpError as err:
        return respond(err.status, {"message": str(err)})
    except Exception as err:  # noqa: BLE001
        print(json.dumps({"level": "error", "msg": "unhandled error", "error": repr(err)}))
        return respond(500, {"message": "internal error"})
