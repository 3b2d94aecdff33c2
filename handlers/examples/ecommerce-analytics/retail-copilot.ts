/**
 * ecommerce-analytics `retail-copilot` (config/examples/ecommerce-analytics.yaml):
 * invoked directly by the store assistant with `{ "storeId": "...", "limit": 5 }`;
 * answers with the store's best sellers of the last week and the ones running
 * low on stock, the two facts the assistant's suggestions start from.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';

const SALES_TABLE = process.env.SALES_TABLE ?? 'store-weekly-sales';
const dynamo = new DynamoDBClient(sdkClientConfig());

export const handler = withWarmGuard(async (event: { storeId?: string; limit?: number }) => {
  if (typeof event?.storeId !== 'string' || !event.storeId) throw new Error('`storeId` is required');
  const limit = event.limit === undefined ? 5 : event.limit;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new Error(`\`limit\` must be a whole number from 1 to 50, got ${JSON.stringify(event.limit)}`);
  const out = await dynamo.send(new QueryCommand({
    TableName: SALES_TABLE,
    KeyConditionExpression: 'storeId = :s',
    ExpressionAttributeValues: toItem({ ':s': event.storeId }),
  }));
  const rows = (out.Items ?? []).map(fromItem) as Array<{ sku?: string; unitsSold?: number; stock?: number }>;
  const bestSellers = [...rows].sort((a, b) => (b.unitsSold ?? 0) - (a.unitsSold ?? 0)).slice(0, limit);
  const lowStock = rows.filter((r) => (r.stock ?? 0) < (r.unitsSold ?? 0)).slice(0, limit);
  return { storeId: event.storeId, bestSellers, lowStock };
});
