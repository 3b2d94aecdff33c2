/**
 * roadcall-assistant `vendors` (config/examples/roadcall-assistant.yaml):
 * - GET /vendors/{vendorId}: a vendor profile through `vendor:{vendorId}` (5 min)
 *   in Redis, over DAX;
 * - GET /vendors/search?latitude=&longitude=&radius_miles=&capability=: vendors
 *   nearby through `vendor:search:{queryHash}` (1 min). The hash is taken over the
 *   normalized query (coordinates rounded to ~100 m), so nearby searches share
 *   an entry;
 * - PUT /vendors/{vendorId}: updates a vendor's status and capabilities, then
 *   `invalidateVendor(vendorId)` as the seed does after "updating vendor": the
 *   profile entry, and every cached search (a search result carries the vendor,
 *   and its key is a hash, so which searches hold it is unknown:
 *   `invalidatePattern('vendorSearch')` drops them all with SCAN + UNLINK; they
 *   live one minute anyway). `invalidateVendors(vendorIds)` is the seed's bulk form.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { withWarmGuard } from '../../runtime/guard';
import { redisCache } from '../../runtime/redis-cache';
import { fromItem, toItem } from '../lib/dynamo';
import { callerId, errorResponse, HttpError, json, jsonBody } from '../lib/http';
import { dax } from './dax';

const VENDORS_TABLE = process.env.VENDORS_TABLE ?? 'Vendors';
const cache = redisCache('vendor-cache');
const vendorKey = cache.key('vendor');
const searchKey = cache.key('vendorSearch');

function number(q: Record<string, string | undefined> | null, name: string, min: number, max: number, fallback?: number): number {
  const raw = q?.[name];
  if (raw === undefined && fallback !== undefined) return fallback;
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n) || n < min || n > max) throw new HttpError(400, `\`${name}\` must be a number from ${min} to ${max}, got ${JSON.stringify(raw ?? null)}`);
  return n;
}

function milesBetween(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((bLat - aLat) * rad) / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(((bLon - aLon) * rad) / 2) ** 2;
  return 3958.8 * 2 * Math.asin(Math.sqrt(h));
}

async function search(event: APIGatewayProxyEvent) {
  const q = event.queryStringParameters;
  const latitude = Math.round(number(q, 'latitude', -90, 90) * 1000) / 1000;
  const longitude = Math.round(number(q, 'longitude', -180, 180) * 1000) / 1000;
  const radius = number(q, 'radius_miles', 1, 100, 25);
  const capability = q?.capability ?? '';
  const queryHash = createHash('sha256').update(JSON.stringify([latitude, longitude, radius, capability])).digest('hex').slice(0, 32);
  return cache.getOrLoad(searchKey(queryHash), async () => {
    // vendors are partitioned by 1-degree cell; a search reads its cell (a radius
    // above ~60 miles would need the neighbouring cells too)
    const cell = `${Math.floor(latitude)}:${Math.floor(longitude)}`;
    const out = await dax().query({
      TableName: VENDORS_TABLE,
      IndexName: 'cell-index',
      KeyConditionExpression: 'cell = :c',
      ExpressionAttributeValues: toItem({ ':c': cell }),
    });
    return (out.Items ?? [])
      .map((i) => fromItem(i) as { vendorId: string; latitude: number; longitude: number; capabilities?: string[] })
      .filter((v) => !capability || (v.capabilities ?? []).includes(capability))
      .map((v) => ({ ...v, miles: Math.round(milesBetween(latitude, longitude, v.latitude, v.longitude) * 10) / 10 }))
      .filter((v) => v.miles <= radius)
      .sort((a, b) => a.miles - b.miles);
  });
}

/** After updating vendors: drop their profiles and every cached search (one SCAN for all of them). */
export async function invalidateVendors(vendorIds: readonly string[]): Promise<boolean> {
  const profiles = await cache.invalidate(vendorIds.map((id) => vendorKey(id)));
  const searches = await cache.invalidatePattern('vendorSearch');
  return profiles && searches.ok;
}

/** After updating one vendor (the seed's `cache.invalidateVendor(vendorId)`). */
export function invalidateVendor(vendorId: string): Promise<boolean> {
  return invalidateVendors([vendorId]);
}

async function updateVendor(vendorId: string, event: APIGatewayProxyEvent) {
  const body = jsonBody(event);
  const status = body.status;
  if (status !== 'AVAILABLE' && status !== 'BUSY' && status !== 'OFFLINE') throw new HttpError(400, '`status` must be AVAILABLE, BUSY or OFFLINE');
  const capabilities = body.capabilities ?? [];
  if (!Array.isArray(capabilities) || capabilities.some((c) => typeof c !== 'string')) throw new HttpError(400, '`capabilities` must be a list of strings');
  const out = await dax().updateItem({
    TableName: VENDORS_TABLE,
    Key: toItem({ vendorId }),
    UpdateExpression: 'SET #s = :s, capabilities = :c',
    ConditionExpression: 'attribute_exists(vendorId)',
    ExpressionAttributeNames: { '#s': 'status' },
    ExpressionAttributeValues: toItem({ ':s': status, ':c': capabilities as string[] }),
    ReturnValues: 'ALL_NEW',
  }).catch((err: { name?: string }) => {
    if (err?.name === 'ConditionalCheckFailedException') throw new HttpError(404, `no vendor ${vendorId}`);
    throw err;
  });
  // The write has committed: now the cached copies. If Redis is down they expire with their TTLs.
  await invalidateVendor(vendorId);
  return fromItem(out.Attributes ?? {});
}

export const handler = withWarmGuard(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      callerId(event);
      const vendorId = event.pathParameters?.vendorId;
      if (!vendorId) return json(200, { vendors: await search(event) });
      if (event.httpMethod === 'PUT') return json(200, await updateVendor(vendorId, event));
      const vendor = await cache.getOrLoad(vendorKey(vendorId), async () => {
        const out = await dax().getItem({ TableName: VENDORS_TABLE, Key: toItem({ vendorId }) });
        return out.Item ? fromItem(out.Item) : null;
      });
      if (!vendor) throw new HttpError(404, `no vendor ${vendorId}`);
      return json(200, vendor);
    } catch (err) {
      return errorResponse(err);
    }
  },
  { prime: () => cache.connect() },
);
