/**
 * ecommerce-analytics `auth` (config/examples/ecommerce-analytics.yaml): the REST
 * API's Lambda authorizer. It looks the caller's API token up in DynamoDB (by a
 * SHA-256 of the token, so the table never holds tokens) and allows the stage.
 * Provisioned concurrency keeps two environments initialized; the guard answers
 * the warmer if one is configured.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { allowStage, requestToken } from '../lib/authorizer';

const TOKENS_TABLE = process.env.API_TOKENS_TABLE ?? 'analytics-api-tokens';
const dynamo = new DynamoDBClient(sdkClientConfig());

export const handler = withWarmGuard(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const token = requestToken(event);
  if (!token) throw new Error('Unauthorized');
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const out = await dynamo.send(new GetItemCommand({ TableName: TOKENS_TABLE, Key: toItem({ tokenHash }) }));
  const record = out.Item ? fromItem(out.Item) : undefined;
  if (!record || record.revoked === true || typeof record.tenantId !== 'string') throw new Error('Unauthorized');
  // the tenant is the caller: handlers read it as the user id
  return allowStage(event.methodArn, record.tenantId);
});
