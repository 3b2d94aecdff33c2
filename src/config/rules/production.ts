/**
 * Rule 11: production caches survive the loss of a node or an availability zone.
 *
 * What (warnings, only in an environment named `prod` or `production`):
 * - `prod-dax-replication`: a DAX cluster with `replicationFactor` below 3. DAX
 *   places nodes across zones; with fewer than three, one node failure takes away
 *   a large share of the read capacity (with one, all of it) and AWS recommends at
 *   least three for production.
 * - `prod-redis-single-az`: a Redis/Valkey cache with `multiAz: false`. A zone
 *   outage or a primary failure then means downtime and a cold cache instead of an
 *   automatic failover.
 *
 * Why warnings: both are legitimate cost choices for some services; the warning
 * makes the choice visible in review, and `validate --strict` turns it into a gate.
 * Dev and staging environments commonly run smaller and are not reported.
 */
import type { Rule } from './types';

export const PRODUCTION_ENVIRONMENTS = ['prod', 'production'] as const;
export const MIN_PROD_DAX_REPLICATION = 3;

export const productionRule: Rule = {
  id: 'production',
  meta: [
    {
      code: 'prod-dax-replication',
      severity: 'warning',
      description: 'in a `prod`/`production` environment, a dax cluster has `replicationFactor` below 3.',
      specRule: 11,
    },
    {
      code: 'prod-redis-single-az',
      severity: 'warning',
      description: 'in a `prod`/`production` environment, a redis cache has `multiAz: false`.',
      specRule: 11,
    },
  ],
  check(ctx) {
    const env = ctx.environment;
    if (env === undefined || !(PRODUCTION_ENVIRONMENTS as readonly string[]).includes(env)) return;
    for (const d of ctx.model.dax) {
      if (d.replicationFactor >= MIN_PROD_DAX_REPLICATION) continue;
      ctx.report({
        code: 'prod-dax-replication',
        path: ['dax', d.name, 'replicationFactor'],
        message: `dax cluster \`${d.name}\` has \`replicationFactor: ${d.replicationFactor}\` in environment \`${env}\`; production clusters should have at least ${MIN_PROD_DAX_REPLICATION} nodes across availability zones`,
        hint: `set \`replicationFactor: ${MIN_PROD_DAX_REPLICATION}\` for \`${env}\` (e.g. in \`environments.${env}.dax.${d.name}\`)`,
      });
    }
    for (const r of ctx.model.redis) {
      if (r.multiAz) continue;
      ctx.report({
        code: 'prod-redis-single-az',
        path: ['redis', r.name, 'multiAz'],
        message: `redis cache \`${r.name}\` has \`multiAz: false\` in environment \`${env}\`; a zone outage or primary failure means downtime and a cold cache instead of automatic failover`,
        hint: `set \`multiAz: true\` with \`replicasPerShard: 1\` or more for \`${env}\``,
      });
    }
  },
};
