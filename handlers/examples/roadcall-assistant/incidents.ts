/**
 * roadcall-assistant `incidents` (config/examples/roadcall-assistant.yaml):
 * POST /incidents records a roadside incident. Writes go through DAX
 * (write-through), so the vendors and tracking handlers read the new item from
 * DAX's item cache at once.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { withWarmGuard } from '../../runtime/guard';
import { toItem } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json, jsonBody, requireString } from '../lib/http';
import { dax } from './dax';

const INCIDENTS_TABLE = process.env.INCIDENTS_TABLE ?? 'Incidents';
const TYPES = ['tire', 'battery', 'fuel', 'lockout', 'tow'];

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const driverId = callerId(event);
    const body = jsonBody(event);
    const type = requireString(body, 'type');
    if (!TYPES.includes(type)) throw new HttpError(400, `\`type\` must be one of ${TYPES.join(', ')}, got ${JSON.stringify(type)}`);
    const { latitude, longitude } = body as { latitude?: unknown; longitude?: unknown };
    if (typeof latitude !== 'number' || latitude < -90 || latitude > 90 || typeof longitude !== 'number' || longitude < -180 || longitude > 180) {
      throw new HttpError(400, '`latitude` (-90..90) and `longitude` (-180..180) are required numbers');
    }
    const incident = { incidentId: randomUUID(), driverId, type, latitude, longitude, status: 'OPEN', createdAt: new Date().toISOString() };
    await dax().putItem({ TableName: INCIDENTS_TABLE, Item: toItem(incident) });
    return json(201, incident);
  } catch (err) {
    return errorResponse(err);
  }
});
