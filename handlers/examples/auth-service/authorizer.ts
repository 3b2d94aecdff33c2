/**
 * auth-service `authorizer` (config/examples/auth-service.yaml): the REST API's
 * Lambda authorizer. It validates the session token of the Authorization header
 * with `session:{token}` in Redis (24 h TTL) and falls back to Postgres on a miss;
 * `auth.ts` writes the entry at login and deletes it at logout. API Gateway keeps
 * no result cache (`resultTtlSeconds: 0`), so a logout takes effect at once.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { withWarmGuard } from '../../runtime/guard';
import { redisCache } from '../../runtime/redis-cache';
import { pool } from '../lib/pg';
import { allowStage, requestToken } from '../lib/authorizer';

const cache = redisCache('app-cache');
const sessionKey = cache.key('session');

interface Session {
  userId: string;
  expiresAt: string;
}

export const handler = withWarmGuard(
  async (event: APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const token = requestToken(event);
    if (!token) throw new Error('Unauthorized'); // API Gateway answers 401
    const session = await cache.getOrLoad(sessionKey(token), async (): Promise<Session | undefined> => {
      const { rows } = await (await pool()).query<{ user_id: string; expires_at: Date }>(
        'SELECT user_id, expires_at FROM sessions WHERE token = $1 AND expires_at > now()',
        [token],
      );
      // undefined is not cached: a token that is not (yet) valid is looked up again next time
      return rows[0] ? { userId: rows[0].user_id, expiresAt: rows[0].expires_at.toISOString() } : undefined;
    });
    if (!session || Date.parse(session.expiresAt) <= Date.now()) throw new Error('Unauthorized');
    return allowStage(event.methodArn, session.userId);
  },
  { prime: () => cache.connect() },
);
