/**
 * Rule 8: anything that runs in a VPC has a `network` to run in.
 *
 * What: `network` must be present when a handler has `vpc: true`, or when any
 * `redis` cache or `dax` cluster is defined (ElastiCache and DAX exist only inside
 * a VPC), or when `restApi.endpointType` is `PRIVATE` (a private API admits the
 * callers of one VPC, `network.vpcId`; an addition to the spec's rule 8). One diagnostic per thing that needs it, pointing at that thing, so the
 * user sees every reason at once.
 *
 * Why: without subnets there is nowhere to place the function's network
 * interfaces or the cache nodes; synthesis could only guess (the default VPC is
 * public and often deleted), and guessing network placement is how caches end up
 * reachable from places they should not be.
 */
import type { Rule } from './types';

const HINT = 'add `network: { vpcId: vpc-..., subnetIds: [subnet-..., subnet-...] }` with private subnets, ideally one per availability zone';

export const networkRule: Rule = {
  id: 'network',
  meta: [
    {
      code: 'network-required',
      severity: 'error',
      description: '`network` is missing but a handler has `vpc: true`, a `redis` cache or `dax` cluster is defined, or `restApi.endpointType` is `PRIVATE`.',
      specRule: 8,
    },
  ],
  check(ctx) {
    const m = ctx.model;
    if (m.network) return;
    for (const h of m.handlers) {
      if (!h.vpc) continue;
      ctx.report({
        code: 'network-required',
        path: ['handlers', h.name, 'vpc'],
        message: `handler \`${h.name}\` has \`vpc: true\` but \`network\` is not defined; a function in a vpc needs subnets to run in`,
        hint: HINT,
      });
    }
    for (const r of m.redis) {
      ctx.report({
        code: 'network-required',
        path: ['redis', r.name],
        message: `redis cache \`${r.name}\` needs \`network\`, which is not defined; elasticache runs only inside a vpc`,
        hint: HINT,
      });
    }
    if (m.restApi?.endpointType === 'PRIVATE') {
      ctx.report({
        code: 'network-required',
        path: ['restApi', 'endpointType'],
        message: '`restApi.endpointType` is `PRIVATE` but `network` is not defined; a private api admits callers from one vpc, `network.vpcId`',
        hint: 'add `network` with the vpc whose callers may reach the api, or use `endpointType: REGIONAL`',
      });
    }
    for (const d of m.dax) {
      ctx.report({
        code: 'network-required',
        path: ['dax', d.name],
        message: `dax cluster \`${d.name}\` needs \`network\`, which is not defined; dax runs only inside a vpc`,
        hint: HINT,
      });
    }
  },
};
