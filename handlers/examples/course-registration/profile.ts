/**
 * course-registration `profile` (config/examples/course-registration.yaml):
 * GET /api/auth/me returns the caller's profile through `user:profile:{userId}`.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json } from '../lib/http';
import { cache, cached } from './cached';

const USERS_TABLE = process.env.USERS_TABLE ?? 'users';
const dynamo = new DynamoDBClient(sdkClientConfig());
const profileKey = cache.key('userProfile');

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const userId = callerId(event);
    const profile = await cached(profileKey(userId), async () => {
      const out = await dynamo.send(new GetItemCommand({ TableName: USERS_TABLE, Key: toItem({ userId }) }));
      return out.Item ? fromItem(out.Item) : null;
    });
    if (!profile) throw new HttpError(404, 'the caller has no profile');
    return json(200, profile);
  } catch (err) {
    return errorResponse(err);
  }
});
