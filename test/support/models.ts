/**
 * Resolved models for tests, built the way the loader builds them: every builder
 * runs the real `normalize` (src/config/normalize.ts) on the smallest raw config
 * that holds the piece, so each default comes from the schema through the real
 * code path and is never typed again here. The arguments that other fields are
 * derived from (names, `entry`, a resolver's `field`, a key's `pattern`, the
 * GraphQL `schema`) go through `normalize` too; the overrides are then laid over
 * the result as model values, as given. That is what lets a rule's unit test
 * build a model the loader would refuse (a reference to nothing, a wrong engine
 * version): `normalize` trusts the schema check and refuses nothing itself.
 *
 * One layout for every suite: service `svc` in `us-east-1`, config files under
 * `/svc`, handler entries at `handlers/<name>.ts`. A suite that needs other names
 * wraps these builders in its own helper file (test/infra/model-builder.ts,
 * test/rules/helpers.ts, test/synth/helpers.ts, test/plan/models.ts).
 */
import { normalize } from '../../src/config/normalize';
import type {
  Access,
  Connections,
  DaxCluster,
  Endpoint,
  EndpointCache,
  GraphqlApi,
  Handler,
  Network,
  RedisCache,
  RedisKey,
  Resolver,
  RestApi,
  ServiceModel,
} from '../../src/config/model';
import type { RawConfig, RawEndpoint } from '../../src/config/schema';

export const SERVICE = 'svc';
export const REGION = 'us-east-1';
/** Absolute directory of the config file: entries and the GraphQL schema resolve against it. */
export const BASE_DIR = '/svc';

export const NETWORK: Network = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'], egress: 'nat', endpoints: [] };

/** Where a raw config is: its environment, its file, and the files it may read (absolute path → text). */
export interface Place {
  environment?: string;
  /** Default: `<service>.yaml`. */
  sourceFile?: string;
  /** Default: `BASE_DIR`. */
  baseDir?: string;
  files?: Record<string, string>;
}

/**
 * A raw config (as it stands after the schema check and the environment overlay)
 * through the real `normalize`. `version`, `service` and `region` may be left out.
 */
export function resolved(raw: Partial<RawConfig>, place: Place = {}): ServiceModel {
  const doc = { version: 1, service: SERVICE, region: REGION, ...raw } as RawConfig;
  return normalize(doc, {
    environment: place.environment,
    sourceFile: place.sourceFile ?? `${doc.service}.yaml`,
    baseDir: place.baseDir ?? BASE_DIR,
    readFile: (abs) => (place.files && Object.prototype.hasOwnProperty.call(place.files, abs) ? place.files[abs] : undefined),
  });
}

export type HandlerOverrides = Partial<Omit<Handler, 'connections' | 'access'>> & { connections?: Partial<Connections>; access?: Partial<Access> };

/** A handler with its defaults; `connections` overrides are merged into the default connections (`http`, `retries`). */
export function handler(name: string, over: HandlerOverrides = {}): Handler {
  const { connections, access, ...rest } = over;
  const [h] = resolved({ handlers: { [name]: { entry: over.entry ?? `handlers/${name}.ts` } } }).handlers;
  return { ...h, ...rest, connections: { ...h.connections, ...connections }, access: { ...h.access, ...access } };
}

/** One endpoint of a REST API without stage cache settings, so its TTL is the stage default. */
function restEndpoint(e: RawEndpoint): Endpoint {
  return resolved({ restApi: { name: 'api', endpoints: [e] } }).restApi!.endpoints[0];
}

export function endpointCache(over: Partial<EndpointCache> = {}): EndpointCache {
  return { ...restEndpoint({ path: '/', method: 'GET', handler: 'api', cache: {} }).cache!, ...over };
}

/** An endpoint; its `auth` defaults as for a config without an `auth` section. */
export function endpoint(method: Endpoint['method'], path: string, handlerName: string, over: Partial<Endpoint> = {}): Endpoint {
  return { ...restEndpoint({ path, method, handler: handlerName }), ...over };
}

export function restApi(endpoints: Endpoint[], over: Partial<RestApi> = {}): RestApi {
  return { ...resolved({ restApi: { name: 'api', endpoints: [] } }).restApi!, endpoints, ...over };
}

/** A GraphQL API named `api` whose schema is `schema.graphql` (its SDL empty unless `schemaSdl` is given). */
export function graphqlApi(over: Partial<GraphqlApi> = {}): GraphqlApi {
  const api = resolved({ graphqlApi: { name: over.name ?? 'api', schema: over.schema ?? 'schema.graphql' } }).graphqlApi!;
  return { ...api, ...over };
}

/** A resolver of `Type.field`, not cached unless `over.cache` says so. */
export function resolver(field: string, handlerName: string, over: Partial<Resolver> = {}): Resolver {
  const api = resolved({ graphqlApi: { name: 'api', schema: 'schema.graphql', resolvers: [{ field, handler: handlerName }] } }).graphqlApi!;
  return { ...api.resolvers[0], ...over };
}

/** A redis key pattern; without `name`, the name the loader derives from the pattern. */
export function redisKey(pattern: string, ttlSeconds: number, name?: string): RedisKey {
  return resolved({ redis: { cache: { keys: [{ pattern, ttlSeconds, name }] } } }).redis[0].keys[0];
}

export function redisCache(name: string, over: Partial<RedisCache> = {}): RedisCache {
  return { ...resolved({ redis: { [name]: {} } }).redis[0], ...over };
}

export function daxCluster(name: string, tables: string[], over: Partial<DaxCluster> = {}): DaxCluster {
  return { ...resolved({ dax: { [name]: { tables } } }).dax[0], ...over };
}

const byName = <T extends { name: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * A service model: `service`, `environment`, `sourceFile` and `baseDir` go
 * through `normalize` (so `stackName` follows them), the rest is laid over as
 * given, and handlers, caches and clusters are put in name order as the model
 * promises.
 */
export function model(over: Partial<ServiceModel> = {}): ServiceModel {
  const base = resolved({ service: over.service ?? SERVICE }, { environment: over.environment, sourceFile: over.sourceFile, baseDir: over.baseDir });
  const m: ServiceModel = { ...base, ...over };
  m.handlers = byName(m.handlers);
  m.redis = byName(m.redis);
  m.dax = byName(m.dax);
  return m;
}
