/**
 * auth-service `profile` (config/examples/auth-service.yaml): PUT /users/profile
 * updates the caller's name in Postgres, then invalidates `user:profile:{userId}`
 * so the next GET /auth/me reads the new row.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { redisCache } from '../../runtime/redis-cache';
import { callerId, errorResponse, HttpError, json, jsonBody, requireString } from '../lib/http';
import { pool } from '../lib/pg';

const cache = redisCache('app-cache');
const profileKey = cache.key('userProfile');

export const handler = withWarmGuard(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const userId = callerId(event);
    const name = requireString(jsonBody(event), 'name');
    if (name.length > 200) throw new HttpError(400, '`name` must have at most 200 characters');
    const { rows } = await (await pool()).query<{ id: string; email: string; name: string; created_at: Date }>(
      'UPDATE users SET name = $2, updated_at = now() WHERE id = $1 RETURNING id, email, name, created_at',
      [userId, name],
    );
    if (!rows[0]) throw new HttpError(404, 'the caller has no profile');
    await cache.invalidate(profileKey(userId));
    return json(200, { userId: rows[0].id, email: rows[0].email, name: rows[0].name, createdAt: rows[0].created_at.toISOString() });
  } catch (err) {
    return errorResponse(err);
  }
});
