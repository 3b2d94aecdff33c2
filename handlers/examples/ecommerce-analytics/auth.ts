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
import { bearerToken } from '../lib/sessions';

const TOKENS_TABLE = process.env.API_TOKENS_TABLE ?? 'analytics-api-tokens';
const dynamo = new DynamoDBClient(sdkClientConfig());

export const handler = withWarmGuard(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const headers = event.headers ?? {};
  const name = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
  const token = bearerToken(name ? headers[name] : undefined);
  if (!token) throw new Error('Unauthorized');
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const out = await dynamo.send(new GetItemCommand({ TableName: TOKENS_TABLE, Key: toItem({ tokenHash }) }));
  const record = out.Item ? fromItem(out.Item) : undefined;
  if (!record || record.revoked === true || typeof record.tenantId !== 'string') throw new Error('Unauthorized');
  const [apiArn, stage] = event.methodArn.split('/');
  return {
    principalId: record.tenantId,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${apiArn}/${stage}/*/*` }] },
    context: { userId: record.tenantId },
  };
});
