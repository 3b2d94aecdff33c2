/**
 * The course-registration handlers' cache: `CACHE_ENABLED` (set in the YAML's
 * `environment`) turns Redis off without a redeploy of code, as the seed's
 * service allows; the loader then answers every read. Example code.
 */
import { redisCache } from '../../runtime/redis-cache';
import type { CacheKey } from '../../runtime/redis-cache';

export const cache = redisCache('course-reg-cache');
export const cacheEnabled = (process.env.CACHE_ENABLED ?? 'true') !== 'false';

export function cached<T>(key: CacheKey, loader: () => Promise<T>): Promise<T> {
  return cacheEnabled ? cache.getOrLoad(key, loader) : loader();
}

export async function invalidate(...keys: CacheKey[]): Promise<void> {
  if (cacheEnabled) await cache.invalidate(...keys);
}

/** Drop every entry of a key pattern (SCAN + UNLINK; see docs/handlers.md, "Invalidating by pattern"). */
export async function invalidateMatching(pattern: string, values: Record<string, string> = {}): Promise<void> {
  if (cacheEnabled) await cache.invalidatePattern(pattern, values);
}
