/**
 * user-service `profile` (config/user-service.yaml): GET /profile returns the
 * caller's own profile, GET /health answers the load balancer's checks.
 *
 * The pattern every handler follows:
 * 1. clients at module scope, built once per container from the kit's settings;
 * 2. the key builder taken at module scope, so a pattern missing from the YAML
 *    fails the cold start instead of a request;
 * 3. the handler wrapped in `withWarmGuard`, which answers the warmer's pings
 *    and uses them to open the Redis connection (`prime`) before real traffic.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../runtime/guard';
import { redisCache } from '../runtime/redis-cache';
import { sdkClientConfig } from '../runtime/sdk';
import { fromItem, toItem } from './lib/dynamo';
import { callerId, errorResponse, HttpError, json } from './lib/http';

const USERS_TABLE = process.env.USERS_TABLE ?? 'Users';

const dynamo = new DynamoDBClient(sdkClientConfig());
const cache = redisCache('sessions');
const profileKey = cache.key('userProfile');

async function loadProfile(userId: string) {
  const out = await dynamo.send(new GetItemCommand({ TableName: USERS_TABLE, Key: toItem({ userId }) }));
  return out.Item ? fromItem(out.Item) : null; // null is cached too: a missing profile stays missing for the TTL
}

export const handler = withWarmGuard(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      if (event.resource === '/health') return json(200, { status: 'ok' });
      const userId = callerId(event);
      const profile = await cache.getOrLoad(profileKey(userId), () => loadProfile(userId));
      if (!profile) throw new HttpError(404, `no profile for user ${userId}`);
      return json(200, profile);
    } catch (err) {
      return errorResponse(err);
    }
  },
  { prime: () => cache.connect() },
);
