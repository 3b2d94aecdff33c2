/**
 * `explain`: the caching plan of one resolved model, as data.
 *
 * The plan states what a reviewer needs without reading Terraform: every endpoint
 * and resolver with its TTL, cache keys, isolation and who may invalidate; every
 * cache and DAX cluster with its size and encryption; every handler with its
 * memory, concurrency and pool sizes. Renderers (`render-*.ts`) turn it into
 * text, markdown or JSON. Lists are sorted so the output is byte-identical for the
 * same input.
 */
import { handlerGrants, type Grant } from '../config/access';
import { awsServicesOf, runsInVpc, serviceNames } from '../config/aws-services';
import { ACCOUNT_CONCURRENCY_DEFAULT, GATEWAY_ENDPOINT_SERVICES } from '../config/constants';
import type { Handler, ServiceModel } from '../config/model';
import { notifyText, summarizeAlarms, type AlarmSummary } from './alarms';
import { estimateCost, type CostEstimate } from './cost';
import { planEdge, type EdgePlan } from './edge';
import {
  endpointScope,
  identityHeaderOf,
  redisNodeCount,
  resolverCaching,
  type CacheScope,
  type ResolverCaching,
} from './facts';

export interface EndpointPlan {
  method: string;
  path: string;
  handler: string;
  auth: string;
  cache: null | {
    ttlSeconds: number;
    keys: string[];
    scope: CacheScope;
    /** As written: `shared: true` in the YAML. */
    declaredShared: boolean;
    /** The header whose value identifies the caller for this endpoint's auth. */
    identityHeader: string;
    requireAuthorization: boolean;
    unauthorized: string;
    namespace: string | null;
  };
  throttling: null | { burstLimit: number; rateLimit: number };
}

export interface ResolverPlan {
  field: string;
  handler: string;
  cache: null | ResolverCaching;
}

export interface CachePlan {
  name: string;
  engine: string;
  version: string;
  nodeType: string;
  shards: number;
  replicasPerShard: number;
  nodes: number;
  clusterMode: boolean;
  multiAz: boolean;
  encryption: { atRest: boolean; transit: boolean };
  authTokenSecret: string | null;
  maxmemoryPolicy: string;
  snapshotRetentionDays: number;
  port: number;
  keys: { name: string; pattern: string; ttlSeconds: number }[];
  usedBy: { handler: string; poolSize: number }[];
}

export interface DaxPlan {
  name: string;
  nodeType: string;
  nodes: number;
  encryption: boolean;
  tables: string[];
  itemTtlSeconds: number;
  queryTtlSeconds: number;
  usedBy: string[];
}

export interface HandlerPlan {
  name: string;
  runtime: string;
  architecture: string;
  memoryMb: number;
  timeoutSeconds: number;
  provisionedConcurrency: number;
  reservedConcurrency: number | null;
  warm: boolean;
  vpc: boolean;
  http: { keepAlive: boolean; maxSockets: number };
  retries: { maxAttempts: number; mode: string };
  redis: null | { cache: string; poolSize: number; commandTimeoutMs: number };
  dax: null | { cluster: string; requestTimeoutMs: number };
  postgres: null | PostgresPlan;
  /** Runs in the VPC (`vpc: true`, or it names a cache or cluster). */
  inVpc: boolean;
  /** AWS services its code calls (src/config/aws-services.ts), sorted. */
  awsServices: string[];
  /** Endpoints (`GET /path`) and resolvers (`Type.field`) it serves. */
  serves: string[];
  /** The statements of its role policy (src/config/access.ts `handlerGrants`): what the function may call. */
  grants: Grant[];
}

export interface PostgresPlan {
  min: number;
  max: number;
  port: number;
  /** The database's group, which gets an ingress rule from the function's group; null: no rule is added. */
  securityGroupId: string | null;
  serverMaxConnections: number | null;
  /** The connection budget of rule 15: `max` x `concurrency`. */
  budget: { concurrency: number; concurrencySource: 'reserved' | 'account default'; connections: number };
}

export interface NetworkPlan {
  vpcId: string;
  subnetIds: string[];
  egress: 'nat' | 'endpoints';
  /** Sorted by service. */
  endpoints: { service: string; type: 'gateway' | 'interface' }[];
}

export interface ServicePlan {
  service: string;
  environment: string | null;
  stackName: string;
  sourceFile: string;
  region: string;
  network: null | NetworkPlan;
  restApi: null | {
    name: string;
    stage: string;
    endpointType: string;
    /** This stack sets the account's API Gateway CloudWatch role (`aws_api_gateway_account`). */
    accountLogsRole: boolean;
    cache: null | { sizeGb: number; encrypted: boolean; ttlSeconds: number };
    throttling: null | { burstLimit: number; rateLimit: number };
  };
  endpoints: EndpointPlan[];
  graphqlApi: null | {
    name: string;
    auth: string;
    cache: null | {
      behavior: string;
      type: string;
      ttlSeconds: number;
      encryption: { atRest: boolean; transit: boolean };
    };
  };
  resolvers: ResolverPlan[];
  /** Handlers with `invalidates`, by name: the endpoints each may invalidate (execute-api:InvalidateCache). */
  invalidations: { handler: string; endpoints: string[] }[];
  /** Resolvers with `evicts`, by field: the cached entries each evicts after it succeeds, with where each key value comes from. */
  evictions: { field: string; handler: string; targets: { field: string; keys: { key: string; from: string }[] }[] }[];
  caches: CachePlan[];
  daxClusters: DaxPlan[];
  handlers: HandlerPlan[];
  warmer: null | { schedule: string; concurrency: number; enabled: boolean; targets: string[] };
  /** Compression, CORS, custom domain, WAF and the CloudFront distribution. */
  edge: EdgePlan;
  /** Null without `alarms`; `enabled: false` when this environment turns them off. */
  alarms: null | { enabled: boolean; notify: string; dashboard: boolean; list: AlarmSummary[] };
  cost: CostEstimate;
}

const byName = <T extends { name: string }>(a: T, b: T) => cmp(a.name, b.name);

/** Code-unit string order: stable across locales and machines. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Endpoints sort by path, then method. */
export function endpointOrder(a: { path: string; method: string }, b: { path: string; method: string }): number {
  return cmp(a.path, b.path) || cmp(a.method, b.method);
}

export function buildPlan(model: ServiceModel): ServicePlan {
  const endpoints: EndpointPlan[] = (model.restApi?.endpoints ?? []).map((e) => ({
    method: e.method,
    path: e.path,
    handler: e.handler,
    auth: e.auth,
    cache: e.cache
      ? {
          ttlSeconds: e.cache.ttlSeconds,
          keys: [...e.cache.keys],
          scope: endpointScope(model, e),
          declaredShared: e.cache.shared,
          identityHeader: identityHeaderOf(model, e),
          requireAuthorization: e.cache.requireAuthorization,
          unauthorized: e.cache.unauthorized,
          namespace: e.cache.namespace ?? null,
        }
      : null,
    throttling: e.throttling ? { ...e.throttling } : null,
  }));
  endpoints.sort(endpointOrder);

  const api = model.graphqlApi;
  const resolvers: ResolverPlan[] = (api?.resolvers ?? []).map((r) => ({
    field: r.field,
    handler: r.handler,
    cache: api ? (resolverCaching(api, r) ?? null) : null,
  }));
  resolvers.sort((a, b) => cmp(a.field, b.field));

  const invalidations = model.handlers
    .filter((h) => h.invalidates.length > 0)
    .map((h) => ({ handler: h.name, endpoints: [...new Set(h.invalidates.map((t) => `${t.method} ${t.path}`))].sort(cmp) }))
    .sort((a, b) => cmp(a.handler, b.handler));
  const evictions = (api?.resolvers ?? [])
    .filter((r) => r.evicts.length > 0)
    .map((r) => ({
      field: r.field,
      handler: r.handler,
      targets: r.evicts.map((e) => {
        const target = api!.resolvers.find((t) => t.field === e.field);
        return {
          field: e.field,
          keys: (target?.cache?.keys ?? []).map((k) => ({ key: k, from: Object.prototype.hasOwnProperty.call(e.keys, k) ? e.keys[k] : k })),
        };
      }),
    }))
    .sort((a, b) => cmp(a.field, b.field));

  const caches: CachePlan[] = model.redis.map((c) => ({
    name: c.name,
    engine: c.engine,
    version: c.version,
    nodeType: c.nodeType,
    shards: c.shards,
    replicasPerShard: c.replicasPerShard,
    nodes: redisNodeCount(c.shards, c.replicasPerShard),
    clusterMode: c.shards > 1,
    multiAz: c.multiAz,
    encryption: { ...c.encryption },
    authTokenSecret: c.authTokenSecret ?? null,
    maxmemoryPolicy: c.maxmemoryPolicy,
    snapshotRetentionDays: c.snapshotRetentionDays,
    port: c.port,
    keys: c.keys.map((k) => ({ name: k.name, pattern: k.pattern, ttlSeconds: k.ttlSeconds })).sort((a, b) => cmp(a.pattern, b.pattern)),
    usedBy: model.handlers
      .filter((h) => h.connections.redis?.cache === c.name)
      .map((h) => ({ handler: h.name, poolSize: h.connections.redis!.poolSize }))
      .sort((a, b) => cmp(a.handler, b.handler)),
  }));
  caches.sort(byName);

  const daxClusters: DaxPlan[] = model.dax.map((d) => ({
    name: d.name,
    nodeType: d.nodeType,
    nodes: d.replicationFactor,
    encryption: d.encryption,
    tables: [...d.tables].sort(cmp),
    itemTtlSeconds: d.itemTtlSeconds,
    queryTtlSeconds: d.queryTtlSeconds,
    usedBy: model.handlers.filter((h) => h.connections.dax?.cluster === d.name).map((h) => h.name).sort(cmp),
  }));
  daxClusters.sort(byName);

  const serves = new Map<string, string[]>();
  for (const e of endpoints) serves.set(e.handler, [...(serves.get(e.handler) ?? []), `${e.method} ${e.path}`]);
  for (const r of resolvers) serves.set(r.handler, [...(serves.get(r.handler) ?? []), r.field]);
  if (model.auth.lambda) {
    const h = model.auth.lambda.handler;
    serves.set(h, [...(serves.get(h) ?? []), 'lambda authorizer']);
  }

  const handlers: HandlerPlan[] = model.handlers.map((h) => ({
    name: h.name,
    runtime: h.runtime,
    architecture: h.architecture,
    memoryMb: h.memoryMb,
    timeoutSeconds: h.timeoutSeconds,
    provisionedConcurrency: h.provisionedConcurrency,
    reservedConcurrency: h.reservedConcurrency ?? null,
    warm: h.warm,
    vpc: h.vpc,
    http: { keepAlive: h.connections.http.keepAlive, maxSockets: h.connections.http.maxSockets },
    retries: { maxAttempts: h.connections.retries.maxAttempts, mode: h.connections.retries.mode },
    redis: h.connections.redis
      ? { cache: h.connections.redis.cache, poolSize: h.connections.redis.poolSize, commandTimeoutMs: h.connections.redis.commandTimeoutMs }
      : null,
    dax: h.connections.dax ? { cluster: h.connections.dax.cluster, requestTimeoutMs: h.connections.dax.requestTimeoutMs } : null,
    postgres: postgresPlan(h),
    inVpc: runsInVpc(h),
    awsServices: serviceNames(awsServicesOf(h, model)),
    serves: serves.get(h.name) ?? [],
    grants: handlerGrants(h, model),
  }));
  handlers.sort(byName);

  return {
    service: model.service,
    environment: model.environment ?? null,
    stackName: model.stackName,
    sourceFile: model.sourceFile,
    region: model.region,
    network: model.network
      ? {
          vpcId: model.network.vpcId,
          subnetIds: [...model.network.subnetIds],
          egress: model.network.egress,
          endpoints: [...model.network.endpoints].sort(cmp).map((service) => ({
            service,
            type: (GATEWAY_ENDPOINT_SERVICES as readonly string[]).includes(service) ? ('gateway' as const) : ('interface' as const),
          })),
        }
      : null,
    restApi: model.restApi
      ? {
          name: model.restApi.name,
          stage: model.restApi.stage,
          endpointType: model.restApi.endpointType,
          accountLogsRole: model.restApi.accountLogsRole,
          cache: model.restApi.cache ? { ...model.restApi.cache } : null,
          throttling: model.restApi.throttling ? { ...model.restApi.throttling } : null,
        }
      : null,
    endpoints,
    graphqlApi: api
      ? {
          name: api.name,
          auth: api.auth,
          cache: api.cache
            ? {
                behavior: api.cache.behavior,
                type: api.cache.type,
                ttlSeconds: api.cache.ttlSeconds,
                encryption: { ...api.cache.encryption },
              }
            : null,
        }
      : null,
    resolvers,
    invalidations,
    evictions,
    caches,
    daxClusters,
    handlers,
    warmer: model.warmer
      ? {
          schedule: model.warmer.schedule,
          concurrency: model.warmer.concurrency,
          enabled: model.warmer.enabled,
          targets: model.handlers.filter((h) => h.warm).map((h) => h.name).sort(cmp),
        }
      : null,
    edge: planEdge(model),
    alarms: model.alarms
      ? { enabled: model.alarms.enabled, notify: notifyText(model), dashboard: model.alarms.enabled && model.alarms.dashboard, list: summarizeAlarms(model) }
      : null,
    cost: estimateCost(model),
  };
}

function postgresPlan(h: Handler): PostgresPlan | null {
  const pg = h.connections.postgres;
  if (!pg) return null;
  const concurrency = h.reservedConcurrency ?? ACCOUNT_CONCURRENCY_DEFAULT;
  return {
    min: pg.min,
    max: pg.max,
    port: pg.port,
    securityGroupId: pg.securityGroupId ?? null,
    serverMaxConnections: pg.serverMaxConnections ?? null,
    budget: { concurrency, concurrencySource: h.reservedConcurrency === undefined ? 'account default' : 'reserved', connections: pg.max * concurrency },
  };
}

/** Plans of several models in a stable order: source file, then environment. */
export function buildPlans(models: readonly ServiceModel[]): ServicePlan[] {
  return models
    .map(buildPlan)
    .sort((a, b) => cmp(a.sourceFile, b.sourceFile) || cmp(a.environment ?? '', b.environment ?? ''));
}
