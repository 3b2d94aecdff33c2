/**
 * Which AWS service APIs a handler's own code calls, derived from the config:
 * the one place that answers "what must this function reach?". Rule 14 (with
 * `network.egress: endpoints`, every such service needs a VPC endpoint) and the
 * explain plan read it; nothing else decides it.
 *
 * Covered here: `connections` and `access`. A Redis cache with `authTokenSecret` and a
 * Postgres pool with `secret` make the runtime kit call Secrets Manager
 * (GetSecretValue) on the first connection. DAX is not an AWS API endpoint in
 * this sense: the DAX client talks to the cluster's nodes inside the VPC, so it
 * needs no VPC endpoint (only the cluster port, which the network opens).
 *
 * Pure: no cdktf, no files. Each need says why, with the field path that causes
 * it, so a diagnostic can name the reason.
 */
import { accessServices } from './access';
import type { Handler, ServiceModel } from './model';

/** Whether a handler runs in the VPC (defined beside the grants it decides, in ./access). */
export { runsInVpc } from './access';

export interface AwsServiceNeed {
  /**
   * The service, by the name `network.endpoints` would give its endpoint; a name
   * `network.endpoints` does not accept (`email` for SES) has no endpoint
   * cachestack can create.
   */
  service: string;
  /** Why, for messages: "redis cache `sessions` reads its AUTH token from Secrets Manager". */
  reason: string;
  /** The field that causes it. */
  path: readonly (string | number)[];
}

/**
 * Every AWS service the handler's code calls, one entry per (service, reason),
 * sorted by service then reason. A service that appears for several reasons
 * appears several times; use `serviceNames` for the set.
 */
export function awsServicesOf(handler: Handler, model: ServiceModel): AwsServiceNeed[] {
  const out: AwsServiceNeed[] = [];
  const c = handler.connections;

  if (c.redis) {
    const cache = model.redis.find((r) => r.name === c.redis!.cache);
    if (cache?.authTokenSecret !== undefined) {
      out.push({
        service: 'secretsmanager',
        reason: `redis cache \`${cache.name}\` reads its AUTH token from Secrets Manager`,
        path: ['handlers', handler.name, 'connections', 'redis', 'cache'],
      });
    }
  }
  if (c.postgres?.secret !== undefined) {
    out.push({
      service: 'secretsmanager',
      reason: 'the postgres pool reads its credentials from Secrets Manager',
      path: ['handlers', handler.name, 'connections', 'postgres', 'secret'],
    });
  }

  // What the handler's `access` grants (src/config/access.ts): each service its
  // tables, buckets, queues, topics, secrets and statements need.
  for (const service of [...accessServices(handler)].sort()) {
    out.push({ service, reason: `its \`access\` calls ${service}`, path: ['handlers', handler.name, 'access'] });
  }

  return out.sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}

/** The distinct services of `awsServicesOf`, sorted. */
export function serviceNames(needs: readonly AwsServiceNeed[]): string[] {
  return [...new Set(needs.map((n) => n.service))].sort();
}
