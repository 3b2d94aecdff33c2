/**
 * Rule 6 and engine versions: an ElastiCache replication group that AWS accepts
 * and that keeps its security promises.
 *
 * What:
 * - `redis-multi-az-replicas`: `multiAz: true` (the default) with
 *   `replicasPerShard: 0`. Multi-AZ means automatic failover to a replica in
 *   another zone; without a replica there is nothing to fail over to and
 *   ElastiCache rejects the group.
 * - `redis-auth-needs-transit`: `authTokenSecret` with `encryption.transit: false`.
 *   ElastiCache accepts an AUTH token only over TLS; without TLS the token would
 *   cross the network in clear text, so a password that looks protective is not.
 * - `redis-engine-version`: `version` is not one cachestack supports for `engine`
 *   (`REDIS_VERSIONS` in src/config/schema.ts), e.g. `7.2` with `engine: redis`.
 *   The JSON Schema only checks the `MAJOR.MINOR` shape, because the valid list
 *   depends on the engine.
 */
import { REDIS_VERSIONS } from '../constants';
import type { FieldPath, Rule } from './types';
import { closest } from './util';

export const redisRule: Rule = {
  id: 'redis',
  meta: [
    {
      code: 'redis-multi-az-replicas',
      severity: 'error',
      description: 'a redis cache has `multiAz: true` (the default) but `replicasPerShard: 0`; multi-az failover needs at least one replica.',
      specRule: 6,
    },
    {
      code: 'redis-auth-needs-transit',
      severity: 'error',
      description: 'a redis cache sets `authTokenSecret` with `encryption.transit: false`; an auth token needs in-transit encryption.',
      specRule: 6,
    },
    {
      code: 'redis-engine-version',
      severity: 'error',
      description: 'a redis cache `version` is not a supported version of its `engine` (valkey 7.2, 8.0, 8.1; redis 6.2, 7.0, 7.1).',
    },
  ],
  check(ctx) {
    for (const r of ctx.model.redis) {
      const base: FieldPath = ['redis', r.name];

      if (r.multiAz && r.replicasPerShard < 1) {
        const multiAzWritten = ctx.written([...base, 'multiAz']);
        ctx.report({
          code: 'redis-multi-az-replicas',
          path: multiAzWritten ? [...base, 'multiAz'] : [...base, 'replicasPerShard'],
          message: `redis cache \`${r.name}\` has \`multiAz: true\`${multiAzWritten ? '' : ' (the default)'} but \`replicasPerShard: ${r.replicasPerShard}\`; multi-az failover needs at least 1 replica per shard`,
          hint: 'set `replicasPerShard: 1` or more, or `multiAz: false` (e.g. in a dev environment)',
        });
      }

      if (r.authTokenSecret !== undefined && !r.encryption.transit) {
        ctx.report({
          code: 'redis-auth-needs-transit',
          path: [...base, 'encryption', 'transit'],
          message: `redis cache \`${r.name}\` sets \`authTokenSecret\` but \`encryption.transit: false\`; elasticache accepts an auth token only with in-transit encryption, and without tls the token would cross the network in clear text`,
          hint: 'set `encryption.transit: true` (the default), or remove `authTokenSecret`',
        });
      }

      const versions: readonly string[] = REDIS_VERSIONS[r.engine] ?? [];
      if (!versions.includes(r.version)) {
        const other = (Object.keys(REDIS_VERSIONS) as (keyof typeof REDIS_VERSIONS)[]).find(
          (e) => e !== r.engine && (REDIS_VERSIONS[e] as readonly string[]).includes(r.version),
        );
        const near = closest(r.version, versions);
        ctx.report({
          code: 'redis-engine-version',
          path: ctx.written([...base, 'version']) ? [...base, 'version'] : [...base, 'engine'],
          message: `redis cache \`${r.name}\`: version \`${r.version}\` is not available for engine \`${r.engine}\`; allowed: ${versions.join(', ')}`,
          hint: other
            ? `\`${r.version}\` is a ${other} version: set \`engine: ${other}\`, or pick a ${r.engine} version`
            : near !== undefined
              ? `did you mean \`${near}\`?`
              : `omit \`version\` to get the default for ${r.engine}`,
        });
      }
    }
  },
};
