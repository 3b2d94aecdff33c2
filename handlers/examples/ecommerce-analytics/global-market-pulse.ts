/**
 * ecommerce-analytics `global-market-pulse` (config/examples/ecommerce-analytics.yaml):
 * GET /global-market/regional-prices?region= returns current prices in a region.
 * Prices move fast, so API Gateway caches them for 30 s, shared by all callers.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { errorResponse, json, requireString } from '../lib/http';

const PRICES_TABLE = process.env.PRICES_TABLE ?? 'regional-prices';
const dynamo = new DynamoDBClient(sdkClientConfig());

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const region = requireString(event.queryStringParameters, 'region');
    const out = await dynamo.send(new QueryCommand({
      TableName: PRICES_TABLE,
      KeyConditionExpression: '#r = :r',
      ExpressionAttributeNames: { '#r': 'region' },
      ExpressionAttributeValues: toItem({ ':r': region }),
    }));
    return json(200, { region, prices: (out.Items ?? []).map(fromItem) }, { 'cache-control': 'max-age=30' });
  } catch (err) {
    return errorResponse(err);
  }
});
