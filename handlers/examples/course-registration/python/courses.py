"""course-registration ``courses`` in Python, as the seed's FastAPI routes do it
(app/api/courses.py with ``cache.get``/``cache.set`` and ``delete_pattern``), on the
cachestack runtime kit (config/examples/course-registration.yaml):

- ``GET /api/courses?semester_id=&department_id=`` lists courses through
  ``courses:semester:{semesterId}:department:{departmentId}`` (``all`` without a
  department), 5 minutes; concurrent misses run one DynamoDB query (the kit's
  lease plays the seed's ``lock:{key}`` stampede lock);
- ``POST /api/courses/{course_id}`` updates a course, rewrites ``course:{courseId}``
  and drops every list of its semester (``delete_pattern``: SCAN + UNLINK).

``CACHE_ENABLED=false`` (the YAML's ``environment``) turns Redis off; the loader then
answers every read. The TypeScript alternative is ../courses.ts.
"""

import json
import os

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from cachestack_runtime import boto3_config, json_default, warm_guard
from cachestack_runtime.redis_cache import redis_cache

COURSES_TABLE = os.environ.get("COURSES_TABLE", "courses")
CACHE_ENABLED = os.environ.get("CACHE_ENABLED", "true") != "false"

dynamodb = boto3.client("dynamodb", config=boto3_config(region_name=os.environ.get("AWS_REGION", "us-east-1")))
cache = redis_cache("course-reg-cache")
course_list = cache.key("coursesSemesterDepartment")
course_detail = cache.key("course")
_from = TypeDeserializer().deserialize
_to = TypeSerializer().serialize


class HttpError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def respond(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body, default=json_default)}


def list_courses(semester_id, department_id):
    out = dynamodb.query(
        TableName=COURSES_TABLE,
        IndexName="semester-department",
        KeyConditionExpression="semesterDepartment = :sd",
        ExpressionAttributeValues={":sd": {"S": f"{semester_id}#{department_id}"}},
        Limit=100,
    )
    return [{k: _from(v) for k, v in item.items()} for item in out.get("Items", [])]


def update_course(event):
    course_id = (event.get("pathParameters") or {}).get("course_id")
    if not course_id:
        raise HttpError(400, "path parameter `course_id` is required")
    body = json.loads(event.get("body") or "{}")
    title, capacity = body.get("title"), body.get("capacity")
    if not isinstance(title, str) or not title:
        raise HttpError(400, "`title` is required")
    if not isinstance(capacity, int) or isinstance(capacity, bool) or capacity < 0:
        raise HttpError(400, "`capacity` must be a whole number >= 0")
    try:
        out = dynamodb.update_item(
            TableName=COURSES_TABLE,
            Key={"courseId": {"S": course_id}},
            UpdateExpression="SET #t = :t, #c = :c",  # `capacity` is a DynamoDB reserved word
            ConditionExpression="attribute_exists(courseId)",
            ExpressionAttributeNames={"#t": "title", "#c": "capacity"},
            ExpressionAttributeValues={":t": _to(title), ":c": _to(capacity)},
            ReturnValues="ALL_NEW",
        )
    except dynamodb.exceptions.ConditionalCheckFailedException:
        raise HttpError(404, f"no course {course_id}") from None
    course = {k: _from(v) for k, v in out.get("Attributes", {}).items()}
    if CACHE_ENABLED:
        cache.set(course_detail(course_id), course)
        semester = str(course.get("semesterDepartment", "")).split("#")[0]
        if semester:
            # every department's list of that semester, `all` included
            cache.invalidate_matching("coursesSemesterDepartment", semesterId=semester)
    return respond(200, course)


@warm_guard(prime=cache.connect if CACHE_ENABLED else None)
def handler(event, context):
    try:
        if event.get("httpMethod") == "POST":
            return update_course(event)
        params = event.get("queryStringParameters") or {}
        semester_id = params.get("semester_id")
        if not semester_id:
            raise HttpError(400, "query parameter `semester_id` is required")
        department_id = params.get("department_id") or "all"
        key = course_list(semesterId=semester_id, departmentId=department_id)
        load = lambda: list_courses(semester_id, department_id)  # noqa: E731
        courses = cache.get_or_load(key, load) if CACHE_ENABLED else load()
        return respond(200, {"courses": courses})
    except HttpError as err:
        return respond(err.status, {"message": str(err)})
