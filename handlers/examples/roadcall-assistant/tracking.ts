/**
 * roadcall-assistant `tracking` (config/examples/roadcall-assistant.yaml): the
 * AppSync resolvers of the tracking API. The two queries are cached by AppSync
 * for 5 s per caller and argument and read through DAX; `updateLocation` (never
 * cached) writes through DAX, so the next uncached read sees it.
 */
import type { AppSyncIdentityCognito, AppSyncResolverEvent } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { fromItem, toItem } from '../lib/dynamo';
import { dax } from './dax';

const SESSIONS_TABLE = process.env.TRACKING_TABLE ?? 'TrackingSessions';

type Args = { sessionId?: string; incidentId?: string; location?: { latitude: number; longitude: number } };

async function getSession(sessionId: string) {
  const out = await dax().getItem({ TableName: SESSIONS_TABLE, Key: toItem({ sessionId }) });
  return out.Item ? fromItem(out.Item) : null;
}

export const handler = withWarmGuard(async (event: AppSyncResolverEvent<Args>) => {
  if (!(event.identity as AppSyncIdentityCognito | null)?.sub) throw new Error('unauthorized: no cognito identity on the request');
  const field = `${event.info.parentTypeName}.${event.info.fieldName}`;
  const args = event.arguments;
  switch (field) {
    case 'Query.getTrackingSession':
      if (!args.sessionId) throw new Error('`sessionId` is required');
      return getSession(args.sessionId);
    case 'Query.getActiveSessionByIncident': {
      if (!args.incidentId) throw new Error('`incidentId` is required');
      const out = await dax().query({
        TableName: SESSIONS_TABLE,
        IndexName: 'incidentId-index',
        KeyConditionExpression: 'incidentId = :i',
        FilterExpression: '#s = :active',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: toItem({ ':i': args.incidentId, ':active': 'ACTIVE' }),
      });
      return out.Items?.[0] ? fromItem(out.Items[0]) : null;
    }
    case 'Mutation.updateLocation': {
      const { sessionId, location } = args;
      if (!sessionId || typeof location?.latitude !== 'number' || typeof location?.longitude !== 'number') {
        throw new Error('`sessionId` and `location { latitude, longitude }` are required');
      }
      const now = new Date().toISOString();
      const out = await dax().updateItem({
        TableName: SESSIONS_TABLE,
        Key: toItem({ sessionId }),
        UpdateExpression: 'SET vendorLocation = :l, updatedAt = :now',
        ConditionExpression: 'attribute_exists(sessionId) AND #s = :active',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: toItem({ ':l': { latitude: location.latitude, longitude: location.longitude, recordedAt: now }, ':now': now, ':active': 'ACTIVE' }),
        ReturnValues: 'ALL_NEW',
      });
      return out.Attributes ? fromItem(out.Attributes) : null;
    }
    default:
      throw new Error(`no resolver for ${field}`);
  }
});
