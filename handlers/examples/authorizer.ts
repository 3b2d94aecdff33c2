/**
 * `authorizer` of the config language's reference example
 * (docs: `auth.lambda: { handler: authorizer, identityHeader: Authorization }`):
 * a REQUEST authorizer that accepts a session token found, unexpired, in the
 * sessions table. API Gateway caches its answer per Authorization header for
 * `resultTtlSeconds`, so most requests never reach it.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { withWarmGuard } from '../runtime/guard';
import { sdkClientConfig } from '../runtime/sdk';
import { fromItem, toItem } from './lib/dynamo';
import { allowStage, requestToken } from './lib/authorizer';

const SESSIONS_TABLE = process.env.SESSIONS_TABLE ?? 'Sessions';
const dynamo = new DynamoDBClient(sdkClientConfig());

export const handler = withWarmGuard(async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const token = requestToken(event);
  if (!token) throw new Error('Unauthorized');
  const out = await dynamo.send(new GetItemCommand({ TableName: SESSIONS_TABLE, Key: toItem({ token }) }));
  const session = out.Item ? fromItem(out.Item) : undefined;
  if (!session || typeof session.userId !== 'string' || typeof session.expiresAt !== 'string' || Date.parse(session.expiresAt) <= Date.now()) {
    throw new Error('Unauthorized');
  }
  return allowStage(event.methodArn, session.userId);
});
