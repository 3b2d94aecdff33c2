"""ecommerce-analytics ``demand-insights`` in Python, as the seed's forecast code
does it (``redis_client.get`` / ``redis_client.setex(cache_key, 300, ...)``), on the
cachestack runtime kit (config/examples/ecommerce-analytics.yaml):
``GET /demand-insights/segments?product_id=`` returns a product's demand forecast per
customer segment, cached in Redis as ``forecast:{productId}`` for 5 minutes (the TTL
comes from the YAML), so one forecast read serves every caller. The seed's clients
at module level with ``Config(max_pool_connections=50, retries={'max_attempts': 3})``
are ``boto3_config()``. The TypeScript alternative is ../demand-insights.ts.
"""

import json
import os

import boto3
from boto3.dynamodb.types import TypeDeserializer

from cachestack_runtime import boto3_config, json_default, warm_guard
from cachestack_runtime.redis_cache import redis_cache

FORECASTS_TABLE = os.environ.get("FORECASTS_TABLE", "demand-forecasts")

# "Initialize clients outside handler"
dynamodb = boto3.client("dynamodb", config=boto3_config(region_name=os.environ.get("AWS_REGION", "us-east-1")))
cache = redis_cache("cache")
forecast_key = cache.key("forecast")
_from = TypeDeserializer().deserialize


def generate_forecast(product_id):
    out = dynamodb.query(
        TableName=FORECASTS_TABLE,
        KeyConditionExpression="productId = :p",
        ExpressionAttributeValues={":p": {"S": product_id}},
    )
    return [{k: _from(v) for k, v in item.items()} for item in out.get("Items", [])]


def get_forecast(product_id):
    # check the cache first; on a miss one caller generates it and the cache keeps it for 5 minutes
    return cache.get_or_load(forecast_key(productId=product_id), lambda: generate_forecast(product_id))


@warm_guard(prime=cache.connect)
def handler(event, context):
    product_id = (event.get("queryStringParameters") or {}).get("product_id")
    if not product_id:
        return {"statusCode": 400, "body": json.dumps({"message": "query parameter `product_id` is required"})}
    segments = get_forecast(product_id)
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps({"productId": product_id, "segments": segments}, default=json_default),
    }
