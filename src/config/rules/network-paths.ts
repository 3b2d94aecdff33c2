/**
 * Rule 14: every VPC handler has a way to the AWS APIs its code calls, and the
 * database's security group is only named for a handler that has a group.
 *
 * What:
 * - `egress-endpoint-missing` (error): `network.egress` is `endpoints` and a
 *   handler that runs in the VPC calls an AWS service (`awsServicesOf`: a Redis
 *   AUTH token or Postgres credentials from Secrets Manager, and what its `access`
 *   grants) for which `network.endpoints` creates no endpoint. With
 *   `egress: nat` the same handler is fine: it reaches the API through the NAT
 *   gateway (which cachestack neither creates nor checks).
 * - `postgres-security-group-needs-vpc` (error): `connections.postgres.securityGroupId`
 *   on a handler that does not run in the VPC: there is no handler security group
 *   for the database's group to admit, so the ingress rule could not exist.
 *
 * Why: with `egress: endpoints` the handler's security group allows HTTPS only to
 * the endpoints; a call to any other service hangs until the SDK's connect timeout
 * on the first request after deploy, which no plan shows.
 */
import { awsServicesOf, runsInVpc } from '../aws-services';
import { VPC_ENDPOINT_SERVICES } from '../constants';
import type { Rule } from './types';

export const networkPathsRule: Rule = {
  id: 'network-paths',
  meta: [
    {
      code: 'egress-endpoint-missing',
      severity: 'error',
      description: 'with `network.egress: endpoints`, a handler in the vpc calls an aws service (a secret, or what `access` grants) that `network.endpoints` has no endpoint for.',
      specRule: 14,
    },
    {
      code: 'postgres-security-group-needs-vpc',
      severity: 'error',
      description: '`connections.postgres.securityGroupId` is set on a handler that does not run in the vpc, so no ingress rule can name the handler\'s group.',
      specRule: 14,
    },
  ],
  check(ctx) {
    const m = ctx.model;
    for (const h of m.handlers) {
      const pg = h.connections.postgres;
      if (pg?.securityGroupId !== undefined && !runsInVpc(h)) {
        ctx.report({
          code: 'postgres-security-group-needs-vpc',
          path: ['handlers', h.name, 'connections', 'postgres', 'securityGroupId'],
          message: `handler \`${h.name}\` names the database's security group \`${pg.securityGroupId}\` but does not run in the vpc, so it has no security group the database could admit`,
          hint: 'set `vpc: true` on the handler (a database in a vpc is reachable only from inside it), or remove `securityGroupId`',
        });
      }
    }

    const network = m.network;
    if (!network || network.egress !== 'endpoints') return;
    const available = new Set<string>(network.endpoints);
    for (const h of m.handlers) {
      if (!runsInVpc(h)) continue;
      const missing = awsServicesOf(h, m).filter((n) => !available.has(n.service));
      const services = [...new Set(missing.map((n) => n.service))];
      for (const service of services) {
        const reasons = missing.filter((n) => n.service === service).map((n) => n.reason);
        ctx.report({
          code: 'egress-endpoint-missing',
          path: ['handlers', h.name],
          message: `handler \`${h.name}\` runs in the vpc with \`network.egress: endpoints\` but calls ${service}, which has no vpc endpoint: ${reasons.join('; ')}`,
          hint: (VPC_ENDPOINT_SERVICES as readonly string[]).includes(service)
            ? `add \`${service}\` to \`network.endpoints\`, or set \`network.egress: nat\` if the vpc has a NAT gateway`
            : `cachestack creates no vpc endpoint for ${service}: set \`network.egress: nat\` (the vpc needs a NAT gateway), or run the handler outside the vpc`,
          related: [{ path: ctx.written(['network', 'endpoints']) ? ['network', 'endpoints'] : ['network', 'egress'], message: 'the endpoints the vpc gets' }],
        });
      }
    }
  },
};
