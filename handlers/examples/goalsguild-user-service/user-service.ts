/**
 * GoalsGuild `user-service` (config/examples/goalsguild-user-service.yaml): one
 * function behind both APIs. REST GET /profile is cached by API Gateway per
 * Authorization header; the AppSync resolvers Query.myProfile, Query.me and
 * Query.user are cached by AppSync per identity (and userId). This function has
 * no Redis: its speed-ups are those caches plus the SDK client settings (keep-alive
 * with 50 sockets, 10 s connect / 30 s request timeouts, 3 adaptive attempts),
 * which `sdkClientConfig()` reads from the environment synthesis sets.
 *
 * Profile updates invalidate the caller's cached entries: PUT /profile refreshes
 * the caller's GET /profile entry with `invalidateEndpoint` (the YAML's
 * `invalidates` grants it), and the Mutation.updateProfile resolver evicts the
 * caller's myProfile, me and user entries itself (the YAML's `evicts`: AppSync
 * does it after this function returns, nothing to do here).
 */
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, AppSyncIdentityCognito, AppSyncResolverEvent } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { invalidateEndpoint } from '../../runtime/invalidate';
import { sdkClientConfig } from '../../runtime/sdk';
import { fromItem, toItem, type Plain } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json, jsonBody } from '../lib/http';

const USERS_TABLE = process.env.USERS_TABLE ?? 'goalsguild-users';
const dynamo = new DynamoDBClient(sdkClientConfig());

type User = { id: string; email: string; nickname?: string; fullName?: string; country?: string; createdAt: string; updatedAt?: string };

async function getUser(id: string): Promise<User | null> {
  const out = await dynamo.send(new GetItemCommand({ TableName: USERS_TABLE, Key: toItem({ id }), ConsistentRead: false }));
  return out.Item ? (fromItem(out.Item) as unknown as User) : null;
}

/** The fields a profile update may change. */
const EDITABLE = ['nickname', 'fullName', 'country'] as const;

/** Set the given editable fields and `updatedAt`; the updated user, or null when there is none. */
export async function updateUser(id: string, input: Record<string, unknown>): Promise<User | null> {
  const changes = EDITABLE.filter((f) => input[f] !== undefined);
  for (const f of changes) {
    if (typeof input[f] !== 'string') throw new HttpError(400, `\`${f}\` must be a string`);
  }
  const now = new Date().toISOString();
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, Plain> = { ':updatedAt': now };
  for (const f of changes) {
    names[`#${f}`] = f;
    values[`:${f}`] = input[f] as string;
  }
  const out = await dynamo.send(
    new UpdateItemCommand({
      TableName: USERS_TABLE,
      Key: toItem({ id }),
      UpdateExpression: `SET ${['updatedAt', ...changes].map((f) => `#${f} = :${f}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(id)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: toItem(values),
      ReturnValues: 'ALL_NEW',
    }),
  ).catch((err: { name?: string }) => {
    if (err?.name === 'ConditionalCheckFailedException') return { Attributes: undefined };
    throw err;
  });
  return out.Attributes ? (fromItem(out.Attributes) as unknown as User) : null;
}

type ResolverArgs = { userId?: string; input?: Record<string, unknown> };

function isAppSync(event: unknown): event is AppSyncResolverEvent<ResolverArgs> {
  return typeof event === 'object' && event !== null && 'info' in event && 'arguments' in event;
}

async function resolve(event: AppSyncResolverEvent<ResolverArgs>): Promise<User | null> {
  const sub = (event.identity as AppSyncIdentityCognito | null)?.sub;
  if (!sub) throw new Error('unauthorized: no cognito identity on the request');
  switch (`${event.info.parentTypeName}.${event.info.fieldName}`) {
    case 'Query.myProfile':
    case 'Query.me':
      return getUser(sub);
    case 'Query.user':
      if (!event.arguments.userId) throw new Error('`userId` is required');
      return getUser(event.arguments.userId);
    case 'Mutation.updateProfile':
      return updateUser(sub, event.arguments.input ?? {});
    default:
      throw new Error(`no resolver for ${event.info.parentTypeName}.${event.info.fieldName}`);
  }
}

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent | AppSyncResolverEvent<ResolverArgs>): Promise<APIGatewayProxyResult | User | null> => {
  if (isAppSync(event)) return resolve(event); // AppSync turns a thrown error into a GraphQL error
  try {
    if (event.httpMethod === 'PUT') {
      const user = await updateUser(callerId(event), jsonBody(event));
      if (!user) throw new HttpError(404, 'no profile for the caller');
      // The caller's GET /profile entry is keyed on their Authorization header: refresh exactly that one.
      // The update has committed: a failed refresh is logged, and the entry expires with its TTL.
      await invalidateEndpoint('GET', '/profile', { headers: { Authorization: event.headers?.Authorization ?? event.headers?.authorization ?? '' } }).catch((err: unknown) =>
        console.warn(JSON.stringify({ level: 'warn', msg: 'could not refresh the cached GET /profile', error: err instanceof Error ? err.message : String(err) })),
      );
      return json(200, user);
    }
    const user = await getUser(callerId(event));
    if (!user) throw new HttpError(404, 'no profile for the caller');
    return json(200, user);
  } catch (err) {
    return errorResponse(err);
  }
});
