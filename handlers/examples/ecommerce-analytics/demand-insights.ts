/**
 * ecommerce-analytics `demand-insights` (config/examples/ecommerce-analytics.yaml):
 * GET /demand-insights/segments?product_id= returns a product's demand forecast
 * per customer segment. Forecasts are cached in Redis as `forecast:{productId}`
 * for 5 minutes (the seed's `setex(cache_key, 300, ...)`), so one forecast read
 * serves every caller; API Gateway additionally caches each caller's response
 * for an hour.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { redisCache } from '../../runtime/redis-cache';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { errorResponse, json, requireString } from '../lib/http';

const FORECASTS_TABLE = process.env.FORECASTS_TABLE ?? 'demand-forecasts';
const dynamo = new DynamoDBClient(sdkClientConfig());
const cache = redisCache('cache');
const forecastKey = cache.key('forecast');

async function loadForecast(productId: string) {
  const out = await dynamo.send(new QueryCommand({
    TableName: FORECASTS_TABLE,
    KeyConditionExpression: 'productId = :p',
    ExpressionAttributeValues: toItem({ ':p': productId }),
  }));
  return (out.Items ?? []).map(fromItem);
}

export const handler = withWarmGuard(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const productId = requireString(event.queryStringParameters, 'product_id');
      const segments = await cache.getOrLoad(forecastKey(productId), () => loadForecast(productId));
      return json(200, { productId, segments });
    } catch (err) {
      return errorResponse(err);
    }
  },
  { prime: () => cache.connect() },
);
