/**
 * Helpers for the shipped-config tests: read a config's YAML as written, run it
 * through the real `synth()` pipeline once (real loader, real esbuild packaging,
 * real cdktf), and look resources up in the synthesized `cdk.tf.json` by their
 * attributes, their references and their construct paths (`//`.metadata.path),
 * never by the hashed logical ids.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { synth } from '../../src/synth';

process.env.CHECKPOINT_DISABLE = '1';

export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Config folders whose every `*.yaml` must validate and synthesize. */
export const CONFIG_DIRS = ['config', 'config/examples'] as const;

export type Json = Record<string, any>;

/** Every `*.yaml`/`*.yml` directly in the config folders, relative to the repository root, sorted. */
export function configFiles(): string[] {
  return CONFIG_DIRS.flatMap((dir) =>
    fs
      .readdirSync(path.join(REPO_ROOT, dir))
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => `${dir}/${f}`),
  ).sort();
}

/** The YAML document as written (anchors resolved, no defaults applied). */
export function readYaml(file: string): Json {
  return parse(fs.readFileSync(path.join(REPO_ROOT, file), 'utf8')) as Json;
}

/**
 * The document one environment sees: its overlay deep-merged over the base the
 * way docs/config.md says (maps by key, lists replaced whole, scalars replaced).
 */
export function forEnvironment(doc: Json, env: string): Json {
  const { environments, ...base } = doc;
  const overlay = (environments as Json | undefined)?.[env];
  if (overlay === undefined) throw new Error(`the document has no environment ${JSON.stringify(env)}`);
  return merge(base, overlay ?? {}) as Json;
}

function merge(base: unknown, over: unknown): unknown {
  if (isMap(base) && isMap(over)) {
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k], v) : v;
    return out;
  }
  return over;
}

function isMap(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `header.X` → `method.request.header.X`, `query.X` → `method.request.querystring.X`, `path.X` → `method.request.path.X`. */
export function requestParameter(key: string): string {
  const [source, ...rest] = key.split('.');
  const name = rest.join('.');
  const where = { header: 'header', query: 'querystring', path: 'path' }[source];
  if (!where) throw new Error(`not an endpoint cache key: ${key}`);
  return `method.request.${where}.${name}`;
}

/** API Gateway's name for an unauthorized-cache-control strategy of the YAML. */
export const UNAUTHORIZED_STRATEGY: Record<string, string> = {
  fail: 'FAIL_WITH_403',
  'ignore-with-warning': 'SUCCEED_WITH_RESPONSE_HEADER',
  ignore: 'SUCCEED_WITHOUT_RESPONSE_HEADER',
};

/** `/users/{userId}` + `GET` → `~1users~1{userId}/GET` (the key API Gateway stores method settings under). */
export function methodPath(method: string, restPath: string): string {
  return `${restPath.replace(/\//g, '~1')}/${method}`;
}

interface Block {
  type: string;
  id: string;
  /** Construct path below the stack (`rest-api/stage`). */
  path: string;
  block: Json;
}

const REF = /^\$\{(data\.)?([a-z0-9_]+)\.([^.}]+)\.([^}]+)\}$/;

/** One synthesized stack's Terraform JSON with lookups. */
export class TfStack {
  constructor(
    readonly name: string,
    readonly tf: Json,
  ) {}

  /** Every block of `type` (`section` = `resource` or `data`). */
  all(type: string, section: 'resource' | 'data' = 'resource'): Block[] {
    return Object.entries((this.tf[section]?.[type] ?? {}) as Record<string, Json>).map(([id, block]) => ({
      type,
      id,
      path: String(block['//']?.metadata?.path ?? '').replace(`${this.name}/`, ''),
      block,
    }));
  }

  /** The blocks of `type` whose attributes satisfy `pred`. */
  where(type: string, pred: (b: Json) => boolean, section: 'resource' | 'data' = 'resource'): Json[] {
    return this.all(type, section)
      .filter((b) => pred(b.block))
      .map((b) => b.block);
  }

  /** The one block of `type` satisfying `pred`; fails naming what there is otherwise. */
  only(type: string, pred: (b: Json) => boolean, what: string, section: 'resource' | 'data' = 'resource'): Json {
    const found = this.where(type, pred, section);
    if (found.length !== 1) {
      throw new Error(`${this.name}: expected one ${type} for ${what}, found ${found.length} (of ${this.all(type, section).map((b) => b.path).join(', ') || 'none'})`);
    }
    return found[0];
  }

  /** The one block of `type` at construct path `<stack>/<constructPath>`. */
  at(type: string, constructPath: string, section: 'resource' | 'data' = 'resource'): Json {
    const found = this.all(type, section).filter((b) => b.path === constructPath);
    if (found.length !== 1) {
      throw new Error(`${this.name}: expected one ${type} at ${constructPath}, found ${found.length} (paths: ${this.all(type, section).map((b) => b.path).join(', ') || 'none'})`);
    }
    return found[0].block;
  }

  /** The block a `${type.id.attr}` / `${data.type.id.attr}` reference points at. */
  deref(ref: unknown): Json {
    const m = typeof ref === 'string' ? REF.exec(ref) : null;
    if (!m) throw new Error(`${this.name}: not a single Terraform reference: ${JSON.stringify(ref)}`);
    const block = this.tf[m[1] ? 'data' : 'resource']?.[m[2]]?.[m[3]];
    if (!block) throw new Error(`${this.name}: reference to a block that does not exist: ${ref}`);
    return block;
  }

  /** Whether `ref` is a reference to exactly `block`. */
  refersTo(ref: unknown, block: Json): boolean {
    try {
      return this.deref(ref) === block;
    } catch {
      return false;
    }
  }

  // ---- Lambda ---------------------------------------------------------------

  /** The function of a handler, found by its `function_name` `<stack>-<handler>`. */
  lambda(handler: string): Json {
    return this.only('aws_lambda_function', (b) => b.function_name === `${this.name}-${handler}`, `handler ${handler}`);
  }

  env(handler: string): Record<string, string> {
    return this.lambda(handler).environment?.variables ?? {};
  }

  /** The Redis key patterns a handler's runtime kit reads (`CACHESTACK_REDIS_KEYS`), without the derived names. */
  redisKeys(handler: string): { pattern: string; ttlSeconds: number }[] {
    const raw = this.env(handler).CACHESTACK_REDIS_KEYS;
    if (raw === undefined) throw new Error(`${this.name}: handler ${handler} has no CACHESTACK_REDIS_KEYS`);
    return (JSON.parse(raw) as { pattern: string; ttlSeconds: number }[]).map(({ pattern, ttlSeconds }) => ({ pattern, ttlSeconds }));
  }

  /** The alias a handler's function is published behind (any name). */
  aliasOf(handler: string): Json {
    const fn = this.lambda(handler);
    return this.only('aws_lambda_alias', (a) => this.refersTo(a.function_name, fn), `the alias of ${handler}`);
  }

  /** The provisioned-concurrency configs of a handler's function (0 or 1). */
  provisionedConcurrency(handler: string): Json[] {
    const fn = this.lambda(handler);
    return this.where('aws_lambda_provisioned_concurrency_config', (p) => this.refersTo(p.function_name, fn));
  }

  /** The handler whose function a `live` alias reference (`${aws_lambda_alias.x.arn}`) belongs to. */
  handlerOfAlias(ref: unknown): string {
    const fn = this.deref(this.deref(ref).function_name);
    return String(fn.function_name).slice(this.name.length + 1);
  }

  /** Statements of the inline policy of the role `roleRef` points at. */
  roleStatements(roleRef: unknown): Json[] {
    const role = this.deref(roleRef);
    const policies = this.where('aws_iam_role_policy', (p) => this.refersTo(p.role, role));
    return policies.flatMap((p) => this.deref(p.policy).statement as Json[]);
  }

  // ---- REST API -------------------------------------------------------------

  /** Full path (`/users/{userId}`) of an `aws_api_gateway_resource` reference, or `/` for the root. */
  restPathOf(resourceRef: unknown): string {
    if (typeof resourceRef === 'string' && /\.root_resource_id\}$/.test(resourceRef)) return '/';
    const res = this.deref(resourceRef);
    const parent = this.restPathOf(res.parent_id);
    return `${parent === '/' ? '' : parent}/${res.path_part}`;
  }

  /** The `aws_api_gateway_method` of `method restPath`, found by `http_method` and its resource's path. */
  method(method: string, restPath: string): Json {
    return this.only('aws_api_gateway_method', (m) => m.http_method === method && this.restPathOf(m.resource_id) === restPath, `${method} ${restPath}`);
  }

  /** The integration of `method restPath` (the one whose `http_method` refers to that method). */
  integration(method: string, restPath: string): Json {
    const m = this.method(method, restPath);
    return this.only('aws_api_gateway_integration', (i) => this.refersTo(i.http_method, m), `the integration of ${method} ${restPath}`);
  }

  /** The `settings` of `method restPath`, found by `method_path`. */
  methodSettings(method: string, restPath: string): Json {
    return this.only('aws_api_gateway_method_settings', (s) => s.method_path === methodPath(method, restPath), `${method} ${restPath}`).settings;
  }

  /** The stage-wide (`*\/*`) settings. */
  stageWideSettings(): Json {
    return this.only('aws_api_gateway_method_settings', (s) => s.method_path === '*/*', 'the stage-wide settings').settings;
  }

  stage(): Json {
    return this.only('aws_api_gateway_stage', () => true, 'the stage');
  }

  // ---- ElastiCache, DAX, AppSync, warmer -------------------------------------

  replicationGroup(cache: string): Json {
    return this.only('aws_elasticache_replication_group', (g) => g.replication_group_id === `${this.name}-${cache}`, `redis ${cache}`);
  }

  /** Parameters of the parameter group a replication group uses, as a map. */
  redisParameters(cache: string): Record<string, string> {
    const group = this.deref(this.replicationGroup(cache).parameter_group_name);
    return Object.fromEntries((group.parameter as { name: string; value: string }[]).map((p) => [p.name, p.value]));
  }

  daxCluster(name: string): Json {
    return this.only('aws_dax_cluster', (c) => c.cluster_name === `${this.name}-${name}`, `dax ${name}`);
  }

  daxParameters(name: string): Record<string, string> {
    const group = this.deref(this.daxCluster(name).parameter_group_name);
    return Object.fromEntries((group.parameters as { name: string; value: string }[]).map((p) => [p.name, p.value]));
  }

  appsyncCache(): Json {
    return this.only('aws_appsync_api_cache', () => true, 'the AppSync API cache');
  }

  /** The resolver of `Type.field`, found by its `type` and `field`. */
  resolver(field: string): Json {
    const [type, name] = field.split('.');
    return this.only('aws_appsync_resolver', (r) => r.type === type && r.field === name, field);
  }

  /** The warmer's EventBridge rule and the decoded input of its target, or `undefined` when there is no warmer. */
  warmer(): { rule: Json; input: { targets: string[]; concurrency: number }; fn: Json } | undefined {
    const rules = this.where('aws_cloudwatch_event_rule', (r) => r.name === `${this.name}-warmer`);
    if (rules.length === 0) return undefined;
    const rule = rules[0];
    const target = this.only('aws_cloudwatch_event_target', (t) => this.refersTo(t.rule, rule), 'the warmer target');
    // The input is JSON whose ARNs are Terraform references; decode the JSON, then follow each reference.
    const input = JSON.parse(target.input) as { targets: { name: string; functionArn: string }[]; concurrency: number };
    for (const t of input.targets) {
      if (this.handlerOfAlias(t.functionArn) !== t.name) throw new Error(`${this.name}: warmer target ${t.name} points at another function: ${t.functionArn}`);
      if (this.deref(t.functionArn).name !== 'live') throw new Error(`${this.name}: warmer target ${t.name} is not a live alias`);
    }
    return { rule, input: { targets: input.targets.map((t) => t.name), concurrency: input.concurrency }, fn: this.deref(target.arn) };
  }
}

export interface SynthesizedConfig {
  /** Stacks by name. */
  stacks: Map<string, TfStack>;
  /** Warnings the loader reported (`code path` each). */
  warnings: string[];
}

/**
 * Runs `synth([file])` from the repository root into a temporary directory and
 * reads every stack's `cdk.tf.json`; the directory is removed before returning.
 */
export async function synthesizeConfig(file: string): Promise<SynthesizedConfig> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-examples-'));
  try {
    const result = await synth([file], { cwd: REPO_ROOT, out });
    if (result.status !== 'ok') {
      throw new Error(`${file} did not synthesize (${result.status}): ${JSON.stringify('diagnostics' in result ? result.diagnostics : result).slice(0, 3000)}`);
    }
    const stacks = new Map<string, TfStack>();
    for (const s of result.stacks) {
      stacks.set(s.name, new TfStack(s.name, JSON.parse(fs.readFileSync(path.join(out, s.dir, 'cdk.tf.json'), 'utf8'))));
    }
    return { stacks, warnings: result.diagnostics.map((d) => `${d.code} ${d.path}`) };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** What the YAML says one endpoint's method settings and integration hold. */
export interface EndpointExpectation {
  method: string;
  path: string;
  cached: boolean;
  ttl: number;
  requestParameters: string[];
  requireAuthorization: boolean;
  unauthorized: string;
  namespace?: string;
}

/**
 * Reads each endpoint of a document's `restApi` into what its Terraform must
 * say. Only the documented defaults are filled in (TTL from `restApi.cache`,
 * authorization required, `fail`); everything else is taken as written.
 */
export function endpointsOf(doc: Json): EndpointExpectation[] {
  const api = doc.restApi as Json;
  return (api.endpoints as Json[]).map((e) => {
    const cache = e.cache === false || e.cache === undefined ? undefined : (e.cache as Json);
    const ttl = cache ? (cache.ttlSeconds ?? api.cache?.ttlSeconds ?? 300) : 0;
    const cached = cache !== undefined && ttl > 0;
    return {
      method: e.method,
      path: e.path,
      cached,
      ttl: cached ? ttl : 0,
      requestParameters: cached ? ((cache!.keys ?? []) as string[]).map(requestParameter) : [],
      requireAuthorization: cached ? (cache!.requireAuthorization ?? true) : true,
      unauthorized: UNAUTHORIZED_STRATEGY[cached ? (cache!.unauthorized ?? 'fail') : 'fail'],
      namespace: cached ? cache!.namespace : undefined,
    };
  });
}

/**
 * Asserts every endpoint of `doc` against `stack`: its own method settings
 * (caching on/off, TTL, encryption, cache-control authorization, the
 * unauthorized strategy), the integration's cache key parameters (and
 * namespace when the YAML names one), and the method's request parameters.
 */
export function expectEndpointsAsWritten(stack: TfStack, doc: Json): void {
  const encrypted = doc.restApi.cache?.encrypted ?? true;
  for (const e of endpointsOf(doc)) {
    const where = `${stack.name} ${e.method} ${e.path}`;
    const settings = stack.methodSettings(e.method, e.path);
    expect({ where, settings }).toEqual({
      where,
      settings: expect.objectContaining({
        caching_enabled: e.cached,
        cache_ttl_in_seconds: e.ttl,
        cache_data_encrypted: encrypted,
        require_authorization_for_cache_control: e.requireAuthorization,
        unauthorized_cache_control_header_strategy: e.unauthorized,
      }),
    });
    const integration = stack.integration(e.method, e.path);
    expect({ where, keys: integration.cache_key_parameters ?? [] }).toEqual({ where, keys: e.requestParameters });
    if (e.namespace !== undefined) expect({ where, namespace: integration.cache_namespace }).toEqual({ where, namespace: e.namespace });
    const declared = Object.keys(stack.method(e.method, e.path).request_parameters ?? {});
    for (const p of e.requestParameters) expect({ where, declared }).toEqual({ where, declared: expect.arrayContaining([p]) });
  }
}

/** The key patterns and TTLs of `redis.<cache>.keys`, as written. */
export function redisKeysOf(doc: Json, cache: string): { pattern: string; ttlSeconds: number }[] {
  return (doc.redis[cache].keys as Json[]).map((k) => ({ pattern: k.pattern, ttlSeconds: k.ttlSeconds }));
}

/** The resource names a DynamoDB `Tables` statement grants, `table/<name>` → `<name>`. */
export function tableNames(resources: string[]): string[] {
  return resources.map((r) => /:table\/([^/]+)$/.exec(r)?.[1] ?? `not a table ARN: ${r}`);
}
