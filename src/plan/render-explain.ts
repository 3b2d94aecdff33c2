/**
 * Renderers for `explain`: text for a terminal, markdown for a pull-request
 * comment or a job summary, JSON for tools. Same plans in, same bytes out.
 */
import type { Grant } from '../config/access';
import type { CachePlan, DaxPlan, EndpointPlan, HandlerPlan, ResolverPlan, ServicePlan } from './explain';
import { invalidationShort, invalidationText, seconds } from './facts';
import { watchMarkdown, watchText } from './render-watch';
import { edgeLines } from './edge';
import { code, codeSpan, json, md, mdTable, textTable } from './table';

export type PlanFormat = 'text' | 'markdown' | 'json';

export function renderPlans(plans: readonly ServicePlan[], format: PlanFormat): string {
  if (format === 'json') return json({ plans });
  if (format === 'markdown') return plans.map(planMarkdown).join('\n');
  return plans.map(planText).join('\n');
}

// ---------------------------------------------------------------------------
// shared wording

const onOff = (b: boolean) => (b ? 'on' : 'off');
const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function heading(p: ServicePlan): string {
  const env = p.environment ? `environment ${p.environment}` : 'no environments';
  return `${p.stackName}: ${p.sourceFile}, ${env}, ${p.region}`;
}

function stageCacheText(p: ServicePlan): string {
  const c = p.restApi?.cache;
  return c ? `stage cache ${c.sizeGb} GB, ${c.encrypted ? 'encrypted' : 'NOT encrypted'}, default ttl ${seconds(c.ttlSeconds)}` : 'no stage cache (no endpoint is cached)';
}

function appsyncCacheText(p: ServicePlan): string {
  const c = p.graphqlApi?.cache;
  if (!c) return 'no api cache (no resolver is cached)';
  return `api cache ${c.type}, ${c.behavior}, default ttl ${seconds(c.ttlSeconds)}, encryption at rest ${onOff(c.encryption.atRest)}, in transit ${onOff(c.encryption.transit)}`;
}

function scopeText(scope: 'per-caller' | 'shared'): string {
  return scope === 'per-caller' ? 'per caller' : 'shared';
}

function endpointNote(e: EndpointPlan): string | undefined {
  if (!e.cache) return undefined;
  if (e.cache.scope === 'shared' && e.auth !== 'none') {
    return e.cache.declaredShared
      ? `declared shared: every caller with the same keys gets the same response (no header.${e.cache.identityHeader} key)`
      : `shared although not declared so: the key lacks header.${e.cache.identityHeader}`;
  }
  return undefined;
}

function redisNodesText(c: CachePlan): string {
  const mode = c.clusterMode ? ', cluster mode' : '';
  return `${c.nodes} (${c.shards} shard${c.shards === 1 ? '' : 's'} × ${1 + c.replicasPerShard}${mode})`;
}

function encryptionText(e: { atRest: boolean; transit: boolean }): string {
  if (e.atRest && e.transit) return 'at rest, in transit';
  if (e.atRest) return 'at rest only';
  if (e.transit) return 'in transit only';
  return 'none';
}

function poolsText(h: HandlerPlan): string {
  const parts = [`http ${h.http.maxSockets}${h.http.keepAlive ? ' keep-alive' : ''}`];
  if (h.redis) parts.push(`redis ${h.redis.cache} ×${h.redis.poolSize}`);
  if (h.dax) parts.push(`dax ${h.dax.cluster}`);
  if (h.postgres) parts.push(`postgres ${h.postgres.min}..${h.postgres.max}`);
  parts.push(`retries ${h.retries.maxAttempts} ${h.retries.mode}`);
  return parts.join(', ');
}

function usedByRedis(c: CachePlan): string {
  return c.usedBy.length ? c.usedBy.map((u) => `${u.handler} (pool ${u.poolSize})`).join(', ') : '-';
}

/** The network lines: egress, endpoints, and what each VPC handler calls and how it gets there. */
function networkLines(p: ServicePlan): string[] {
  const n = p.network;
  if (!n) return [];
  const subnets = `${n.subnetIds.length} subnet${n.subnetIds.length === 1 ? '' : 's'}`;
  const out = [
    n.egress === 'nat'
      ? `network ${n.vpcId}, ${subnets}: egress nat: vpc handlers reach aws apis over https to anywhere, which works only if the vpc has a NAT gateway (cachestack neither creates nor checks one)`
      : `network ${n.vpcId}, ${subnets}: egress endpoints: vpc handlers may send https only to the vpc endpoints below, besides the cache, cluster and database ports`,
    `vpc endpoints: ${n.endpoints.length ? n.endpoints.map((e) => `${e.service} (${e.type})`).join(', ') : 'none'}`,
  ];
  const have = new Set(n.endpoints.map((e) => e.service));
  for (const h of p.handlers) {
    if (!h.inVpc || !h.awsServices.length) continue;
    const how = (s: string) => (have.has(s) ? `${s} (endpoint)` : n.egress === 'nat' ? `${s} (nat)` : `${s} (NO WAY OUT)`);
    out.push(`handler ${h.name} calls ${h.awsServices.map(how).join(', ')}`);
  }
  return out;
}

/** The Postgres lines: the ingress rule and the connection budget of each pool. */
function postgresLines(p: ServicePlan): string[] {
  const out: string[] = [];
  for (const h of p.handlers) {
    const pg = h.postgres;
    if (!pg) continue;
    const ingress = pg.securityGroupId
      ? `ingress rule on ${pg.securityGroupId} from the function's group on port ${pg.port}`
      : `port ${pg.port}, no ingress rule (the database must admit the function by other means)`;
    const source = pg.budget.concurrencySource === 'reserved' ? 'reserved' : 'account default, unreserved';
    const limit = pg.serverMaxConnections === null ? 'server max unknown' : `of ${pg.serverMaxConnections} server connections${pg.budget.connections > pg.serverMaxConnections ? ' (OVER)' : ''}`;
    out.push(`postgres of ${h.name}: ${ingress}; budget ${pg.max} x ${pg.budget.concurrency} (${source}) = ${pg.budget.connections} ${limit}`);
  }
  return out;
}

/** Who sets the account's API Gateway CloudWatch role that the stage's access log needs. */
function accountLogsText(p: ServicePlan): string {
  return p.restApi?.accountLogsRole
    ? "access log: this stack sets the account's api gateway cloudwatch logs role (aws_api_gateway_account); no other stack in the account and region may"
    : "access log: needs the account's api gateway cloudwatch logs role to be set already (once per account and region; `restApi.accountLogsRole: true` makes one stack set it)";
}

function warmerText(p: ServicePlan): string | undefined {
  const w = p.warmer;
  if (!w) return undefined;
  const targets = w.targets.length ? w.targets.join(', ') : 'no warm handlers';
  return `${w.schedule}, ${w.concurrency} ping(s) per handler, ${w.enabled ? 'enabled' : 'disabled'}; warms ${targets}`;
}

/**
 * Who may flush the whole AppSync cache. cachestack grants `appsync:FlushApiCache`
 * to none of the roles it creates; whoever your IAM allows may (the credentials
 * `cachestack flush` runs with).
 */
const FLUSH_TEXT = 'principals your own IAM policies allow appsync:FlushApiCache (cachestack grants it to none of its roles; `cachestack flush` uses your credentials)';

function evictionTargets(targets: ServicePlan['evictions'][number]['targets']): string {
  return targets
    .map((t) => `${t.field}${t.keys.length ? ` (${t.keys.map((k) => (k.from === k.key ? k.key : `${k.key} = ${k.from}`)).join(', ')})` : ''}`)
    .join('; ');
}

// ---------------------------------------------------------------------------
// text

function planText(p: ServicePlan): string {
  const out: string[] = [`== ${heading(p)} ==`];
  if (p.restApi) {
    out.push('', `rest api ${p.restApi.name}, stage ${p.restApi.stage} (${p.restApi.endpointType}): ${stageCacheText(p)}`);
    const rows = [['METHOD', 'PATH', 'AUTH', 'HANDLER', 'TTL', 'CACHE KEY', 'SCOPE', 'WHO MAY INVALIDATE']];
    for (const e of p.endpoints) {
      rows.push(
        e.cache
          ? [e.method, e.path, e.auth, e.handler, seconds(e.cache.ttlSeconds), e.cache.keys.join(' ') || '(none)', scopeText(e.cache.scope), invalidationShort(toEndpointCache(e))]
          : [e.method, e.path, e.auth, e.handler, 'not cached', '-', '-', '-'],
      );
    }
    out.push(...textTable(rows));
    for (const e of p.endpoints) {
      const note = endpointNote(e);
      if (note) out.push(`  note: ${e.method} ${e.path} ${note}`);
    }
    out.push(`  ${accountLogsText(p)}`);
    for (const i of p.invalidations) out.push(`  invalidates: handler ${i.handler} may refresh entries of ${i.endpoints.join(', ')} (execute-api:InvalidateCache)`);
  }
  if (p.graphqlApi) {
    out.push('', `graphql api ${p.graphqlApi.name} (auth ${p.graphqlApi.auth}): ${appsyncCacheText(p)}`);
    if (p.resolvers.length) {
      const rows = [['FIELD', 'HANDLER', 'TTL', 'CACHE KEY', 'SCOPE']];
      for (const r of p.resolvers) rows.push(resolverCells(r));
      out.push(...textTable(rows));
    } else if (p.graphqlApi.cache?.behavior === 'operation-level') {
      out.push('  whole operation responses are cached');
    }
    for (const e of p.evictions) out.push(`  evicts: ${e.field} (handler ${e.handler}), once it succeeds, evicts ${evictionTargets(e.targets)}`);
    if (p.graphqlApi.cache) out.push(`  who may flush: ${FLUSH_TEXT}`);
  }
  const edge = edgeLines(p.edge);
  if (edge.length) out.push('', 'edge', ...edge.map((l) => `  ${l}`));
  if (p.caches.length) {
    out.push('', 'redis/valkey caches');
    const rows = [['NAME', 'ENGINE', 'NODE TYPE', 'NODES', 'MULTI-AZ', 'ENCRYPTION', 'AUTH TOKEN', 'EVICTION', 'SNAPSHOTS', 'USED BY']];
    for (const c of p.caches) {
      rows.push([
        c.name,
        `${c.engine} ${c.version}`,
        c.nodeType,
        redisNodesText(c),
        onOff(c.multiAz),
        encryptionText(c.encryption),
        c.authTokenSecret ? 'yes' : 'no',
        c.maxmemoryPolicy,
        c.snapshotRetentionDays ? `${c.snapshotRetentionDays}d` : 'off',
        usedByRedis(c),
      ]);
    }
    out.push(...textTable(rows));
    for (const c of p.caches) {
      if (!c.keys.length) continue;
      out.push(`  key patterns of ${c.name}:`);
      out.push(...textTable(c.keys.map((k) => [k.pattern, `ttl ${seconds(k.ttlSeconds)}`, `(${k.name})`]), '    '));
    }
  }
  if (p.daxClusters.length) {
    out.push('', 'dax clusters');
    const rows = [['NAME', 'NODE TYPE', 'NODES', 'ENCRYPTION', 'ITEM TTL', 'QUERY TTL', 'TABLES', 'USED BY']];
    for (const d of p.daxClusters) rows.push(daxCells(d));
    out.push(...textTable(rows));
  }
  if (p.handlers.length) {
    out.push('', 'handlers');
    const rows = [['NAME', 'RUNTIME', 'MEMORY', 'TIMEOUT', 'PROVISIONED', 'RESERVED', 'WARM', 'POOLS', 'SERVES']];
    for (const h of p.handlers) rows.push(handlerCells(h));
    out.push(...textTable(rows));
    out.push(...postgresLines(p).map((l) => `  ${l}`));
    out.push('', 'handler grants (the statements of each role policy; <partition> and <account> are the stack\'s)');
    for (const h of p.handlers) {
      out.push(`  ${h.name}`);
      for (const g of h.grants) out.push(`    ${g.sid} (${g.from}): ${g.actions.join(', ')} on ${grantResources(g)}`);
    }
  }
  const net = networkLines(p);
  if (net.length) out.push('', ...net.slice(0, 2), ...net.slice(2).map((l) => `  ${l}`));
  const w = warmerText(p);
  if (w) out.push('', `warmer: ${w}`);
  out.push(...watchText(p));
  return `${out.join('\n')}\n`;
}

function toEndpointCache(e: EndpointPlan) {
  const c = e.cache!;
  return {
    ttlSeconds: c.ttlSeconds,
    keys: c.keys,
    requireAuthorization: c.requireAuthorization,
    unauthorized: c.unauthorized as 'fail' | 'ignore-with-warning' | 'ignore',
    shared: c.declaredShared,
  };
}

function resolverCells(r: ResolverPlan): string[] {
  if (!r.cache) return [r.field, r.handler, 'not cached', '-', '-'];
  const via = r.cache.source === 'resolver' ? '' : ` (${r.cache.source})`;
  return [r.field, r.handler, `${seconds(r.cache.ttlSeconds)}${via}`, r.cache.keys.join(' ') || '(none)', scopeText(r.cache.scope)];
}

function daxCells(d: DaxPlan): string[] {
  return [d.name, d.nodeType, String(d.nodes), onOff(d.encryption), seconds(d.itemTtlSeconds), seconds(d.queryTtlSeconds), d.tables.join(', '), d.usedBy.join(', ') || '-'];
}

function grantResources(g: Grant): string {
  return `${g.resources.join(', ')}${g.condition ? ` (when ${g.condition})` : ''}`;
}

function handlerCells(h: HandlerPlan): string[] {
  return [
    h.name,
    h.runtime,
    `${h.memoryMb} MB`,
    seconds(h.timeoutSeconds),
    String(h.provisionedConcurrency),
    h.reservedConcurrency === null ? '-' : String(h.reservedConcurrency),
    yesNo(h.warm),
    poolsText(h),
    h.serves.join(', ') || '-',
  ];
}

// ---------------------------------------------------------------------------
// markdown

function planMarkdown(p: ServicePlan): string {
  const out: string[] = [];
  const env = p.environment ? `environment ${codeSpan(p.environment)}` : 'no environments';
  out.push(`## Caching plan: ${codeSpan(p.stackName)}`, '', `${codeSpan(p.sourceFile)}, ${env}, region ${codeSpan(p.region)}.`);
  if (p.restApi) {
    out.push('', `### REST API ${codeSpan(p.restApi.name)}, stage ${codeSpan(p.restApi.stage)}`, '', `${md(cap(stageCacheText(p)))}.`, '');
    const rows = p.endpoints.map((e) =>
      e.cache
        ? [
            code(e.method),
            code(e.path),
            md(e.auth),
            code(e.handler),
            md(seconds(e.cache.ttlSeconds)),
            e.cache.keys.map(code).join(', ') || 'none',
            e.cache.scope === 'shared' && e.auth !== 'none' ? `**shared**` : md(scopeText(e.cache.scope)),
            md(invalidationText(toEndpointCache(e))),
          ]
        : [code(e.method), code(e.path), md(e.auth), code(e.handler), 'not cached', '', '', ''],
    );
    out.push(...mdTable(['Method', 'Path', 'Auth', 'Handler', 'TTL', 'Cache key', 'Shared or per caller', 'Who may invalidate'], rows));
    const notes = p.endpoints.map((e) => [e, endpointNote(e)] as const).filter(([, n]) => n);
    if (notes.length) {
      out.push('');
      for (const [e, n] of notes) out.push(`- ${codeSpan(`${e.method} ${e.path}`)}: ${md(n!)}`);
    }
    out.push('', `${md(cap(accountLogsText(p)))}.`);
    if (p.invalidations.length) {
      out.push('');
      for (const i of p.invalidations) out.push(`- handler ${codeSpan(i.handler)} may refresh entries of ${i.endpoints.map(codeSpan).join(', ')} (\`execute-api:InvalidateCache\`)`);
    }
  }
  if (p.graphqlApi) {
    out.push('', `### GraphQL API ${codeSpan(p.graphqlApi.name)} (auth ${codeSpan(p.graphqlApi.auth)})`, '', `${md(appsyncCacheText(p).replace(/^(no )?api cache/, (m) => cap(m.replace('api', 'API'))))}.`);
    if (p.graphqlApi.cache) out.push('Who may flush: principals your own IAM policies allow `appsync:FlushApiCache` (cachestack grants it to none of its roles; `cachestack flush` uses your credentials).');
    if (p.evictions.length) {
      out.push('');
      for (const e of p.evictions) out.push(`- ${codeSpan(e.field)} (handler ${codeSpan(e.handler)}), once it succeeds, evicts ${md(evictionTargets(e.targets))}`);
    }
    if (p.resolvers.length) {
      out.push('');
      out.push(
        ...mdTable(
          ['Field', 'Handler', 'TTL', 'Cache key', 'Shared or per caller'],
          p.resolvers.map((r) => {
            if (!r.cache) return [code(r.field), code(r.handler), 'not cached', '', ''];
            const via = r.cache.source === 'resolver' ? '' : ` (${r.cache.source})`;
            return [
              code(r.field),
              code(r.handler),
              md(`${seconds(r.cache.ttlSeconds)}${via}`),
              r.cache.keys.map(code).join(', ') || 'none',
              r.cache.scope === 'shared' ? '**shared**' : 'per caller',
            ];
          }),
        ),
      );
    }
  }
  const edgeMd = edgeLines(p.edge);
  if (edgeMd.length) out.push('', '### Edge', '', ...edgeMd.map((l) => `- ${md(l)}`));
  if (p.caches.length) {
    out.push('', '### Redis / Valkey caches', '');
    out.push(
      ...mdTable(
        ['Cache', 'Engine', 'Node type', 'Nodes', 'Multi-AZ', 'Encryption', 'Auth token', 'Eviction', 'Snapshots', 'Used by'],
        p.caches.map((c) => [
          code(c.name),
          md(`${c.engine} ${c.version}`),
          code(c.nodeType),
          md(redisNodesText(c)),
          onOff(c.multiAz),
          md(encryptionText(c.encryption)),
          c.authTokenSecret ? 'yes' : 'no',
          code(c.maxmemoryPolicy),
          c.snapshotRetentionDays ? `${c.snapshotRetentionDays} day${c.snapshotRetentionDays === 1 ? '' : 's'}` : 'off',
          md(usedByRedis(c)),
        ]),
      ),
    );
    const withKeys = p.caches.filter((c) => c.keys.length);
    if (withKeys.length) {
      out.push('', 'Key patterns:', '');
      for (const c of withKeys) {
        out.push(`- ${codeSpan(c.name)}: ${c.keys.map((k) => `${codeSpan(k.pattern)} ${md(seconds(k.ttlSeconds))}`).join('; ')}`);
      }
    }
  }
  if (p.daxClusters.length) {
    out.push('', '### DAX clusters', '');
    out.push(
      ...mdTable(
        ['Cluster', 'Node type', 'Nodes', 'Encryption', 'Item TTL', 'Query TTL', 'Tables', 'Used by'],
        p.daxClusters.map((d) => [
          code(d.name),
          code(d.nodeType),
          String(d.nodes),
          onOff(d.encryption),
          md(seconds(d.itemTtlSeconds)),
          md(seconds(d.queryTtlSeconds)),
          d.tables.map(code).join(', '),
          d.usedBy.map(code).join(', ') || '-',
        ]),
      ),
    );
  }
  if (p.handlers.length) {
    out.push('', '### Handlers', '');
    out.push(
      ...mdTable(
        ['Handler', 'Runtime', 'Memory', 'Timeout', 'Provisioned', 'Reserved', 'Warm', 'Pools', 'Serves'],
        p.handlers.map((h) => {
          const cells = handlerCells(h);
          return [code(h.name), code(h.runtime), md(cells[2]), md(cells[3]), cells[4], cells[5], cells[6], md(cells[7]), h.serves.map(code).join(', ') || '-'];
        }),
      ),
    );
    const pg = postgresLines(p);
    if (pg.length) out.push('', ...pg.map((l) => `- ${md(l)}`));
    out.push('', '### Handler grants', '', 'The statements of each handler\'s role policy; `<partition>` and `<account>` are the stack\'s.', '');
    out.push(
      ...mdTable(
        ['Handler', 'Statement', 'From', 'Actions', 'Resources'],
        p.handlers.flatMap((h) =>
          h.grants.map((g) => [code(h.name), code(g.sid), md(g.from), g.actions.map(code).join(', '), `${g.resources.map(code).join(', ')}${g.condition ? ` when ${code(g.condition)}` : ''}`]),
        ),
      ),
    );
  }
  const net = networkLines(p);
  if (net.length) out.push('', '### Network', '', ...net.map((l) => `- ${md(l)}`));
  const w = warmerText(p);
  if (w) out.push('', `**Warmer:** ${md(w)}.`);
  out.push(...watchMarkdown(p));
  return `${out.join('\n')}\n`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
