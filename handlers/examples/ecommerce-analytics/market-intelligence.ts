/**
 * ecommerce-analytics `market-intelligence` (config/examples/ecommerce-analytics.yaml):
 * GET /market-intelligence/trends?category= returns the latest trend points of a
 * category. API Gateway caches the answer for 5 minutes per category, shared by
 * all callers (`shared: true`: the data is the same for everyone).
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { errorResponse, json, requireString } from '../lib/http';

const TRENDS_TABLE = process.env.TRENDS_TABLE ?? 'market-trends';
const dynamo = new DynamoDBClient(sdkClientConfig());

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const category = requireString(event.queryStringParameters, 'category');
    const out = await dynamo.send(new QueryCommand({
      TableName: TRENDS_TABLE,
      KeyConditionExpression: 'category = :c',
      ExpressionAttributeValues: toItem({ ':c': category }),
      ScanIndexForward: false, // newest first
      Limit: 52,
    }));
    return json(200, { category, points: (out.Items ?? []).map(fromItem) });
  } catch (err) {
    return errorResponse(err);
  }
});
