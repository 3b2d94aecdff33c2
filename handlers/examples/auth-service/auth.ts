/**
 * auth-service `auth` (config/examples/auth-service.yaml):
 * - POST /auth/register: creates a user (scrypt password hash);
 * - POST /auth/login: checks the password, creates a session in Postgres and
 *   writes `session:{token}` to Redis so the authorizer's first lookup is a hit;
 * - GET /auth/me: the caller's profile through `user:profile:{userId}`;
 * - POST /auth/logout: deletes the session in Postgres, then its cache entry.
 * Writes go to Postgres first and invalidate the cache after ("update the
 * database, then invalidate"); the TTLs bound staleness if an invalidation fails.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { redisCache } from '../../runtime/redis-cache';
import { callerId, errorResponse, HttpError, json, jsonBody, requireString } from '../lib/http';
import { pool } from '../lib/pg';
import { bearerToken, hashPassword, newSessionToken, SESSION_SECONDS, verifyPassword } from '../lib/sessions';

const cache = redisCache('app-cache');
const sessionKey = cache.key('session');
const profileKey = cache.key('userProfile');

interface Profile {
  userId: string;
  email: string;
  name: string | null;
  createdAt: string;
}

async function loadProfile(userId: string): Promise<Profile | null> {
  const { rows } = await (await pool()).query<{ id: string; email: string; name: string | null; created_at: Date }>(
    'SELECT id, email, name, created_at FROM users WHERE id = $1',
    [userId],
  );
  const u = rows[0];
  return u ? { userId: u.id, email: u.email, name: u.name, createdAt: u.created_at.toISOString() } : null;
}

async function register(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = jsonBody(event);
  const email = requireString(body, 'email').toLowerCase();
  const password = requireString(body, 'password');
  if (password.length < 12) throw new HttpError(400, '`password` must have at least 12 characters');
  const name = typeof body.name === 'string' ? body.name : null;
  const { rows } = await (await pool()).query<{ id: string; created_at: Date }>(
    'INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id, created_at',
    [email, name, await hashPassword(password)],
  );
  if (!rows[0]) throw new HttpError(409, `a user with email ${email} already exists`);
  return json(201, { userId: rows[0].id, email, name, createdAt: rows[0].created_at.toISOString() });
}

async function login(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const body = jsonBody(event);
  const email = requireString(body, 'email').toLowerCase();
  const password = requireString(body, 'password');
  const db = await pool();
  const { rows } = await db.query<{ id: string; password_hash: string }>('SELECT id, password_hash FROM users WHERE email = $1', [email]);
  if (!rows[0] || !(await verifyPassword(password, rows[0].password_hash))) throw new HttpError(401, 'wrong email or password');
  const token = newSessionToken();
  const expiresAt = new Date(Date.now() + SESSION_SECONDS * 1000);
  await db.query('INSERT INTO sessions (token, user_id, expires_at) VALUES ($1, $2, $3)', [token, rows[0].id, expiresAt]);
  await cache.set(sessionKey(token), { userId: rows[0].id, expiresAt: expiresAt.toISOString() });
  return json(200, { token, expiresAt: expiresAt.toISOString() });
}

async function me(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const userId = callerId(event);
  const profile = await cache.getOrLoad(profileKey(userId), () => loadProfile(userId));
  if (!profile) throw new HttpError(404, 'the caller has no profile');
  return json(200, profile);
}

async function logout(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const token = bearerToken(event.headers?.Authorization ?? event.headers?.authorization);
  if (!token) throw new HttpError(401, 'no session token');
  await (await pool()).query('DELETE FROM sessions WHERE token = $1', [token]);
  await cache.invalidate(sessionKey(token));
  return { statusCode: 204, body: '' };
}

const routes: Record<string, (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>> = {
  'POST /auth/register': register,
  'POST /auth/login': login,
  'GET /auth/me': me,
  'POST /auth/logout': logout,
};

export const handler = withWarmGuard(
  async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    try {
      const route = routes[`${event.httpMethod} ${event.resource}`];
      if (!route) throw new HttpError(404, `no route for ${event.httpMethod} ${event.resource}`);
      return await route(event);
    } catch (err) {
      return errorResponse(err);
    }
  },
  { prime: async () => Promise.all([cache.connect(), pool()]) },
);
