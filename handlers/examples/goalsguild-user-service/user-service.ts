/**
 * GoalsGuild `user-service` (config/examples/goalsguild-user-service.yaml): one
 * function behind both APIs. REST GET /profile is cached by API Gateway per
 * Authorization header; the AppSync resolvers Query.myProfile, Query.me and
 * Query.user are cached by AppSync per identity (and userId). This function has
 * no Redis: its speed-ups are those caches plus the SDK client settings (keep-alive
 * with 50 sockets, 10 s connect / 30 s request timeouts, 3 adaptive attempts),
 * which `sdkClientConfig()` reads from the environment synthesis sets.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, AppSyncIdentityCognito, AppSyncResolverEvent } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json } from '../lib/http';

const USERS_TABLE = process.env.USERS_TABLE ?? 'goalsguild-users';
const dynamo = new DynamoDBClient(sdkClientConfig());

type User = { id: string; email: string; nickname?: string; fullName?: string; country?: string; createdAt: string; updatedAt?: string };

async function getUser(id: string): Promise<User | null> {
  const out = await dynamo.send(new GetItemCommand({ TableName: USERS_TABLE, Key: toItem({ id }), ConsistentRead: false }));
  return out.Item ? (fromItem(out.Item) as unknown as User) : null;
}

function isAppSync(event: unknown): event is AppSyncResolverEvent<{ userId?: string }> {
  return typeof event === 'object' && event !== null && 'info' in event && 'arguments' in event;
}

async function resolve(event: AppSyncResolverEvent<{ userId?: string }>): Promise<User | null> {
  const sub = (event.identity as AppSyncIdentityCognito | null)?.sub;
  if (!sub) throw new Error('unauthorized: no cognito identity on the request');
  switch (`${event.info.parentTypeName}.${event.info.fieldName}`) {
    case 'Query.myProfile':
    case 'Query.me':
      return getUser(sub);
    case 'Query.user':
      if (!event.arguments.userId) throw new Error('`userId` is required');
      return getUser(event.arguments.userId);
    default:
      throw new Error(`no resolver for ${event.info.parentTypeName}.${event.info.fieldName}`);
  }
}

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent | AppSyncResolverEvent<{ userId?: string }>): Promise<APIGatewayProxyResult | User | null> => {
  if (isAppSync(event)) return resolve(event); // AppSync turns a thrown error into a GraphQL error
  try {
    const user = await getUser(callerId(event));
    if (!user) throw new HttpError(404, 'no profile for the caller');
    return json(200, user);
  } catch (err) {
    return errorResponse(err);
  }
});
