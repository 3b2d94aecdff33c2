/**
 * The network part of `diff`, kept out of diff.ts: how VPC handlers get out, the
 * VPC endpoints, and the ingress rules cachestack adds to a database's group.
 *
 * Flagged `security`:
 * - egress widened: `network.egress` from `endpoints` to `nat` (handler groups go
 *   from "HTTPS to the endpoints only" to "HTTPS anywhere");
 * - an ingress rule added: a handler's pool names a database group it did not
 *   before (or another group, or another port), so that database admits a
 *   function it did not admit.
 * Listed unflagged: egress narrowed, endpoints added or removed (a removed
 * endpoint under `egress: endpoints` is caught by rule 14, not here), ingress
 * rules removed, a pool's port or `serverMaxConnections` changed without a group.
 */
import type { ServiceModel } from '../config/model';
import type { Change } from './diff';

function change(subject: Change['subject'], name: string, action: Change['action'], field: string | null, before: unknown, after: unknown, message: string, security: boolean): Change {
  return { subject, name, action, field, before, after, message, flags: security ? ['security'] : [], dataLoss: false, direction: null, rule: null };
}

/** `sg-...:5432`: the ingress rule a handler's pool makes cachestack add, or null. */
function ingressOf(model: ServiceModel, handler: string): string | null {
  const pg = model.handlers.find((h) => h.name === handler)?.connections.postgres;
  return pg?.securityGroupId !== undefined ? `${pg.securityGroupId}:${pg.port}` : null;
}

export function diffNetwork(base: ServiceModel, head: ServiceModel): Change[] {
  const out: Change[] = [];
  const b = base.network;
  const h = head.network;
  if (b && h) {
    if (b.egress !== h.egress) {
      const widened = b.egress === 'endpoints' && h.egress === 'nat';
      out.push(
        change(
          'network',
          head.service,
          'update',
          'network.egress',
          b.egress,
          h.egress,
          widened
            ? 'egress widened: vpc handlers may send https anywhere (through a NAT gateway) instead of only to the vpc endpoints'
            : 'egress narrowed: vpc handlers may send https only to the vpc endpoints (rule 14 checks each has what it calls)',
          widened,
        ),
      );
    }
    const before = new Set(b.endpoints);
    const after = new Set(h.endpoints);
    for (const s of [...after].filter((x) => !before.has(x)).sort()) {
      out.push(change('network', head.service, 'add', 'network.endpoints', null, s, `vpc endpoint ${s} added`, false));
    }
    for (const s of [...before].filter((x) => !after.has(x)).sort()) {
      out.push(change('network', head.service, 'remove', 'network.endpoints', s, null, `vpc endpoint ${s} removed`, false));
    }
  }

  const handlers = [...new Set([...base.handlers.map((x) => x.name), ...head.handlers.map((x) => x.name)])].sort();
  for (const name of handlers) {
    const was = ingressOf(base, name);
    const is = ingressOf(head, name);
    if (was === is) continue;
    const [group, port] = (is ?? was)!.split(':');
    if (is !== null) {
      out.push(
        change(
          'handler',
          name,
          was === null ? 'add' : 'update',
          'connections.postgres.securityGroupId',
          was,
          is,
          `ingress rule added: database group ${group} admits handler ${name} on port ${port}${was !== null ? ` (was ${was})` : ''}`,
          true,
        ),
      );
    } else {
      out.push(change('handler', name, 'remove', 'connections.postgres.securityGroupId', was, null, `ingress rule removed: database group ${group} no longer admits handler ${name} on port ${port}`, false));
    }
  }
  return out;
}
