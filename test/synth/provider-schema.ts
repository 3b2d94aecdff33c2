/**
 * Checks a synthesized cdk.tf.json against the AWS provider schema that
 * @cdktf/provider-aws was generated from.
 *
 * The package ships no schema JSON, but its generated bindings carry the schema:
 * every resource module (lib/<name>/index.js) sets `tfResourceType` and its
 * `synthesizeAttributes()` returns exactly the provider's argument names, with
 * nested blocks going through `<struct>ToTerraform(struct)` functions that
 * return the block's argument names in turn. This module reads those files as
 * text (never loading them) and rebuilds, per type, the tree of names Terraform
 * accepts. An override with a typo (`addOverride('memry_size', ...)`) gives a
 * name no binding emits, and the check reports it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Argument names of a block; `null` marks a value whose inside is not a block (a string, list, map, or token). */
export interface BlockSchema {
  args: Map<string, BlockSchema | null>;
}

const LIB = path.join(path.dirname(require.resolve('@cdktf/provider-aws/package.json')), 'lib');

/** Terraform meta-arguments, valid on every resource (and, but for connection/provisioner, on data sources). */
const RESOURCE_META = new Set(['depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'connection', 'provisioner', '//']);
const DATA_META = new Set(['depends_on', 'lifecycle', 'provider', 'count', 'for_each', '//']);
const LIFECYCLE = new Set(['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by', 'precondition', 'postcondition']);
const PROVIDER_META = new Set(['alias', 'version', '//']);
const TOP_LEVEL = new Set(['//', 'terraform', 'provider', 'resource', 'data', 'output', 'variable', 'locals', 'module', 'moved', 'import', 'check', 'removed']);

const cache = new Map<string, BlockSchema | undefined>();

/** The module directory for a type: `aws_lambda_function` → `lambda-function`, data → `data-aws-…`, provider → `provider`. */
function moduleDir(kind: 'resource' | 'data' | 'provider', type: string): string {
  if (kind === 'provider') return 'provider';
  const base = type.replace(/_/g, '-');
  return kind === 'data' ? `data-${base}` : base.replace(/^aws-/, '');
}

/** Splits `{ a: x, b: y }` bodies of the generated code into `[key, expression]` lines. */
function objectEntries(source: string, bodyStart: number): [string, string][] {
  const entries: [string, string][] = [];
  // The generated code writes one `key: expression,` per line and closes with `};` on its own line.
  const lines = source.slice(bodyStart).split('\n');
  for (const line of lines.slice(1)) {
    if (/^\s*\};?\s*$/.test(line)) break;
    const m = /^\s*([A-Za-z0-9_]+): (.*),\s*$/.exec(line);
    if (m) entries.push([m[1], m[2]]);
  }
  return entries;
}

function parseBlock(source: string, bodyStart: number, seen: Set<string>): BlockSchema {
  const args = new Map<string, BlockSchema | null>();
  for (const [key, expr] of objectEntries(source, bodyStart)) {
    if (/^cdktf\.hashMapper\(/.test(expr)) {
      args.set(key, null); // a map: its keys are data
      continue;
    }
    const converter = /(?<!cdktf\.)\b([a-z][A-Za-z0-9]*ToTerraform)\b/.exec(expr)?.[1];
    args.set(key, converter ? structSchema(source, converter, seen) : null);
  }
  return { args };
}

function structSchema(source: string, converter: string, seen: Set<string>): BlockSchema | null {
  if (seen.has(converter)) return null; // recursive type: do not unfold forever
  const fn = source.indexOf(`function ${converter}(struct) {`);
  if (fn < 0) return null;
  const ret = source.indexOf('    return {', fn);
  const end = source.indexOf('\n}\n', fn);
  if (ret < 0 || (end >= 0 && ret > end)) return null;
  return parseBlock(source, ret, new Set([...seen, converter]));
}

/** The argument tree of a resource, data source or provider type, or `undefined` when the bindings have no such type. */
export function typeSchema(kind: 'resource' | 'data' | 'provider', type: string): BlockSchema | undefined {
  const key = `${kind}:${type}`;
  if (cache.has(key)) return cache.get(key);
  let schema: BlockSchema | undefined;
  const file = path.join(LIB, moduleDir(kind, type), 'index.js');
  if (fs.existsSync(file)) {
    const source = fs.readFileSync(file, 'utf8');
    const declared = /\.tfResourceType = "([^"]+)";/.exec(source)?.[1];
    const expected = kind === 'provider' ? 'aws' : type;
    const synth = source.indexOf('    synthesizeAttributes() {');
    if (declared === expected && synth >= 0) {
      const ret = source.indexOf('        return {', synth);
      schema = parseBlock(source, ret, new Set());
    }
  }
  cache.set(key, schema);
  return schema;
}

function checkBlock(value: unknown, schema: BlockSchema, at: string, typeName: string, meta: ReadonlySet<string>, problems: string[]): void {
  if (typeof value !== 'object' || value === null) return; // a token or null: nothing to name-check
  if (Array.isArray(value)) {
    value.forEach((v, i) => checkBlock(v, schema, `${at}[${i}]`, typeName, new Set(), problems));
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const here = `${at}.${key}`;
    if (meta.has(key)) {
      if (key === 'lifecycle' && v && typeof v === 'object') {
        for (const k of Object.keys(v)) if (!LIFECYCLE.has(k)) problems.push(`${here}.${k}: \`${k}\` is not a lifecycle argument`);
      }
      continue;
    }
    if (key === 'dynamic' && v && typeof v === 'object') {
      for (const [blockName, dyn] of Object.entries(v as Record<string, { content?: unknown }>)) {
        const inner = schema.args.get(blockName);
        if (inner === undefined) problems.push(`${here}.${blockName}: \`${blockName}\` is not a block of ${typeName}`);
        else if (inner) checkBlock(dyn.content, inner, `${here}.${blockName}.content`, typeName, new Set(), problems);
      }
      continue;
    }
    if (!schema.args.has(key)) {
      problems.push(`${here}: \`${key}\` is not an argument of ${typeName}`);
      continue;
    }
    const inner = schema.args.get(key);
    if (inner) checkBlock(v, inner, here, typeName, new Set(), problems);
  }
}

/**
 * Every resource and data source type, and every argument and block name at
 * every depth, must exist in the provider bindings; returns what does not
 * (empty when the document is clean).
 */
export function checkAgainstProviderSchema(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(doc)) if (!TOP_LEVEL.has(key)) problems.push(`${key}: not a top-level Terraform JSON section`);

  for (const [sectionName, kind, meta] of [
    ['resource', 'resource', RESOURCE_META],
    ['data', 'data', DATA_META],
  ] as const) {
    const section = (doc[sectionName] ?? {}) as Record<string, Record<string, unknown>>;
    for (const [type, instances] of Object.entries(section)) {
      if (kind === 'data' && type === 'terraform_remote_state') continue; // built into Terraform, not the provider
      const schema = typeSchema(kind, type);
      if (!schema) {
        problems.push(`${sectionName}.${type}: no ${kind === 'data' ? 'data source' : 'resource'} type \`${type}\` in @cdktf/provider-aws`);
        continue;
      }
      for (const [name, body] of Object.entries(instances)) checkBlock(body, schema, `${sectionName}.${type}.${name}`, type, meta, problems);
    }
  }

  const providers = (doc.provider ?? {}) as Record<string, unknown>;
  for (const [name, configs] of Object.entries(providers)) {
    if (name !== 'aws') {
      problems.push(`provider.${name}: only the aws provider is checked here`);
      continue;
    }
    const schema = typeSchema('provider', 'aws') as BlockSchema;
    const list = Array.isArray(configs) ? configs : [configs];
    list.forEach((c, i) => checkBlock(c, schema, `provider.aws[${i}]`, 'the aws provider', PROVIDER_META, problems));
  }
  return problems;
}
