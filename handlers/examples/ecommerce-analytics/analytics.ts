/**
 * ecommerce-analytics `analytics` (config/examples/ecommerce-analytics.yaml): no
 * API route; other services invoke it directly with
 * `{ "metric": "revenue", "from": "2025-01-01", "to": "2025-01-31" }` and get the
 * daily values of that metric. Two provisioned environments keep it warm.
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';

const METRICS_TABLE = process.env.METRICS_TABLE ?? 'daily-metrics';
const dynamo = new DynamoDBClient(sdkClientConfig());
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export interface AnalyticsRequest {
  metric: string;
  from: string;
  to: string;
}

export const handler = withWarmGuard(async (event: AnalyticsRequest) => {
  if (typeof event?.metric !== 'string' || !event.metric) throw new Error('`metric` is required');
  if (!DAY.test(event.from ?? '') || !DAY.test(event.to ?? '') || event.from > event.to) {
    throw new Error(`\`from\` and \`to\` must be days (YYYY-MM-DD) with from <= to, got ${JSON.stringify({ from: event.from, to: event.to })}`);
  }
  const days: Array<Record<string, unknown>> = [];
  let startKey: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const out = await dynamo.send(new QueryCommand({
      TableName: METRICS_TABLE,
      KeyConditionExpression: 'metric = :m AND #d BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#d': 'day' },
      ExpressionAttributeValues: toItem({ ':m': event.metric, ':from': event.from, ':to': event.to }),
      ExclusiveStartKey: startKey,
    }));
    days.push(...(out.Items ?? []).map(fromItem));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { metric: event.metric, days };
});
