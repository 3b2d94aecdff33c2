/**
 * user-service `users` (config/user-service.yaml): GET /users/{userId} returns
 * the public part of any user's profile. It shares the `user:profile:{userId}`
 * entries with the `profile` handler, so a profile read by one is a hit for the
 * other.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../runtime/guard';
import { redisCache } from '../runtime/redis-cache';
import { sdkClientConfig } from '../runtime/sdk';
import { fromItem, toItem } from './lib/dynamo';
import { callerId, errorResponse, HttpError, json } from './lib/http';

const USERS_TABLE = process.env.USERS_TABLE ?? 'Users';
/** Fields anyone signed in may see; the rest of the profile stays with its owner. */
const PUBLIC_FIELDS = ['userId', 'nickname', 'country', 'createdAt'];

const dynamo = new DynamoDBClient(sdkClientConfig());
const cache = redisCache('sessions');
const profileKey = cache.key('userProfile');

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    callerId(event); // signed in
    const userId = event.pathParameters?.userId;
    if (!userId) throw new HttpError(400, 'path parameter `userId` is required');
    const profile = await cache.getOrLoad(profileKey(userId), async () => {
      const out = await dynamo.send(new GetItemCommand({ TableName: USERS_TABLE, Key: toItem({ userId }) }));
      return out.Item ? fromItem(out.Item) : null;
    });
    if (!profile) throw new HttpError(404, `no user ${userId}`);
    return json(200, Object.fromEntries(PUBLIC_FIELDS.filter((f) => f in profile).map((f) => [f, profile[f]])));
  } catch (err) {
    return errorResponse(err);
  }
});
