/**
 * The JSON Schema check: the document's value against `publishedSchema()`, through
 * the precompiled validator in `generated/validate.ts` (environment overlays are
 * checked by the same validator, with `definitions.overlay`).
 *
 * ajv reports what failed in schema terms; this module turns that into one clear
 * finding per mistake:
 * - a union (`cache: false | {...}`) reports only the branch the value was meant
 *   for (the one whose type it has), or a single "must be X or Y" when it fits none;
 * - a type error swallows the other complaints about the same value;
 * - unknown keys point at the key and name the closest allowed key; bad map entry
 *   names and bad environment names say what a name looks like;
 * - patterns are explained in words (`PATTERN_WORDS`).
 *
 * Then it prunes: every part that failed is removed (unknown keys, invalid values,
 * objects that miss a required field, the later of repeated list items), and the
 * remainder is checked again until it validates, so that the semantic rules can
 * still run on everything that was right ("all problems of a file in one run").
 * When a list loses items, `indexMaps` remembers where the kept ones came from so
 * later diagnostics still point at the right YAML node.
 */
import { formatPath, type RuleCode } from './diagnostics';
import type { Segment } from './locate';
import { closest } from './rules/util';
import { findSecrets } from './rules/secrets';
import {
  ACM_CERTIFICATE_ARN_PATTERN, CDN_PATH_PATTERN, CORS_ORIGIN_PATTERN, HOSTNAME_PATTERN, INVALIDATES_PATTERN, NAME_PATTERN, S3_BUCKET_PATTERN,
  TF_VERSION_CONSTRAINT_PATTERN, WAF_MANAGED_RULE_PATTERN, WAF_WEB_ACL_ARN_PATTERN,
} from './constants';
import { PUBLISHED_SCHEMA } from './generated/schema-data';
import { validate as generatedValidate } from './generated/validate';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  propertyName?: string;
}

type ValidateFn = ((data: unknown) => boolean) & { errors?: AjvError[] | null };
const validateFn = generatedValidate as unknown as ValidateFn;

/** A schema problem, before it is given a place in a file. */
export interface SchemaIssue {
  code: RuleCode;
  message: string;
  hint?: string;
  /** Field path of the offending value, unknown key or incomplete object. */
  path: Segment[];
  /** Point at the value itself, or at the key of `path` (unknown keys, bad names, incomplete objects). */
  point: 'value' | 'key';
  related?: { path: Segment[]; message: string }[];
}

export interface PruneResult {
  /** The value with every failing part removed; `undefined` when the root itself failed. */
  value: unknown;
  /** False when nothing usable is left (the root is not an object, or misses `version`, `service` or `region`). */
  usable: boolean;
  /** Lists that lost items: `pathKey(original path)` → original index of each kept item. */
  indexMaps: Map<string, number[]>;
}

export interface SchemaCheckResult extends PruneResult {
  issues: SchemaIssue[];
}

/** Key of a field path in `indexMaps`. */
export function pathKey(path: readonly Segment[]): string {
  return path.join('\u0000');
}

// ---------------------------------------------------------------------------
// The schema, for reading what an error's keyword belongs to.

type Schema = Record<string, any>;
const SCHEMA: Schema = PUBLISHED_SCHEMA as Schema;
const schemaCache = new Map<string, unknown>();

function decodePointer(pointer: string, uriEncoded: boolean): string[] {
  const parts = pointer.split('/').slice(1);
  return parts.map((p) => {
    let s = p;
    if (uriEncoded) {
      try {
        s = decodeURIComponent(s);
      } catch {
        // leave as is
      }
    }
    return s.replace(/~1/g, '/').replace(/~0/g, '~');
  });
}

/** The schema node at an ajv schema path (`#/properties/a/type` → the `type` value). */
function schemaAt(schemaPath: string): any {
  if (schemaCache.has(schemaPath)) return schemaCache.get(schemaPath);
  let node: any = SCHEMA;
  for (const seg of decodePointer(schemaPath.replace(/^#/, ''), true)) {
    node = node === null || node === undefined ? undefined : node[seg];
  }
  schemaCache.set(schemaPath, node);
  return node;
}

function parentPath(schemaPath: string): string {
  const i = schemaPath.lastIndexOf('/');
  return i <= 0 ? '#' : schemaPath.slice(0, i);
}

// ---------------------------------------------------------------------------
// Values and paths

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Instance path → field path segments (array indices as numbers) and the value there. */
function resolveInstance(root: unknown, instancePath: string): { path: Segment[]; value: unknown } {
  const path: Segment[] = [];
  let cur: unknown = root;
  for (const raw of decodePointer(instancePath, false)) {
    if (Array.isArray(cur)) {
      const i = Number(raw);
      path.push(i);
      cur = cur[i];
    } else {
      path.push(raw);
      cur = isObject(cur) && Object.prototype.hasOwnProperty.call(cur, raw) ? cur[raw] : undefined;
    }
  }
  return { path, value: cur };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(type: unknown, v: unknown): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  const t = jsonType(v);
  return types.some((x) => x === t || (x === 'number' && t === 'integer'));
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: '`true` or `false`',
  object: 'an object (a mapping of keys)',
  array: 'a list',
  null: 'empty',
};

function short(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * A received string as messages quote it: JSON-quoted and shortened, or, when it
 * holds a well-known token format, only what kind of secret it is and a redacted
 * form, so the error that rejects a secret does not print it.
 */
function quote(s: string, max = 60): string {
  const secrets = findSecrets(s);
  if (secrets.length > 0) return `${secrets[0].kind} (${secrets[0].redacted})`;
  return short(JSON.stringify(s), max);
}

/** How a received value is named in messages: `string "abc"`, `number 1.5`, `a list`. */
function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${quote(v)}`;
  if (typeof v === 'number') return `number ${Number.isFinite(v) ? String(v) : v > 0 ? '.inf' : v < 0 ? '-.inf' : '.nan'}`;
  return `${typeof v} ${String(v)}`;
}

function literal(v: unknown): string {
  return typeof v === 'string' || typeof v === 'boolean' ? `\`${String(v)}\`` : String(v);
}

/** The label of the value at `path` in messages: its key (with list indices), or "the document". */
function label(path: readonly Segment[]): string {
  if (!path.length) return 'the document';
  let i = path.length - 1;
  while (i > 0 && typeof path[i] === 'number') i--;
  return `\`${formatPath(path.slice(i))}\``;
}

function where(path: readonly Segment[]): string {
  return path.length ? `in \`${formatPath(path)}\`` : 'at the top level';
}

// ---------------------------------------------------------------------------
// Patterns in words

/**
 * Every pattern of the published schema, in words. A test fails when the schema
 * gains a pattern that is missing here.
 */
export const PATTERN_WORDS: Record<string, string> = {
  [NAME_PATTERN]: 'lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit, 2 to 40 characters',
  '^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d$': 'an AWS region such as `us-east-1`',
  '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+$':
    'a Secrets Manager secret ARN (`arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME`)',
  '^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\\d{12}:userpool/[a-z0-9-]+_[A-Za-z0-9]+$':
    'a Cognito user pool ARN (`arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID`)',
  '^(rate\\(\\s*\\d+\\s+(minute|minutes|hour|hours|day|days)\\s*\\)|cron\\(.+\\))$':
    'an EventBridge schedule: `rate(N minutes)`, `rate(N hours)`, `rate(N days)` or `cron(...)`',
  '^[a-z0-9][a-z0-9.-]+[a-z0-9]$': 'an S3 bucket name: lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
  '^[A-Za-z0-9-]+$': 'an HTTP header name: letters, digits and hyphens',
  '^https://': 'an `https://` URL',
  '^\\d{4}-\\d{2}-\\d{2}$': 'a date written YYYY-MM-DD',
  '^vpc-[0-9a-f]{8,17}$': 'a VPC id such as `vpc-0123456789abcdef0`',
  '^subnet-[0-9a-z]{4,17}$': 'a subnet id such as `subnet-0123456789abcdef0`',
  '^sg-[0-9a-f]{8,17}$': 'a security group id such as `sg-0123456789abcdef0`',
  '\\.(ts|mts|cts|js|mjs|cjs|py)$': 'a path to a `.ts`, `.mts`, `.cts`, `.js`, `.mjs`, `.cjs` or `.py` file',
  '^[A-Za-z_$][A-Za-z0-9_$]*$': 'a JavaScript identifier (the name of the exported function)',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'letters, digits and underscores, not starting with a digit',
  '^[A-Za-z0-9_-]{1,64}$': '1 to 64 letters, digits, underscores or hyphens',
  '^(header|query|path)\\.[A-Za-z0-9_.~-]+$': '`header.NAME`, `query.NAME` or `path.NAME`',
  '^/([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\+?\\})?(/([A-Za-z0-9._~-]+|\\{[A-Za-z0-9_]+\\+?\\}))*$':
    'a resource path such as `/users/{userId}`: `/`-separated segments of letters, digits and `._~-`, or parameters `{name}` and `{name+}`',
  '^\\$context\\.(arguments|identity|source)(\\.[A-Za-z0-9_]+)+$': '`$context.arguments.X`, `$context.identity.X` or `$context.source.X`',
  '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$': '`Type.field` of the GraphQL schema, such as `Query.user`',
  '\\.(graphql|gql)$': 'a path to a `.graphql` or `.gql` file',
  '^[^\\s{}]*(\\{[A-Za-z][A-Za-z0-9]*\\}[^\\s{}]*)*$': 'a key pattern without spaces whose parameters are written `{name}` (letters and digits)',
  '^[a-z][A-Za-z0-9]*$': 'a camelCase identifier such as `userProfile`',
  '^\\d+\\.\\d+$': 'a version written MAJOR.MINOR, such as "7.2" (in quotes, so YAML keeps it text)',
  '^cache\\.[a-z0-9]+\\.[a-z0-9]+$': 'an ElastiCache node type such as `cache.t4g.small`',
  '^dax\\.[a-z0-9]+\\.[a-z0-9]+$': 'a DAX node type such as `dax.t3.small`',
  '^([A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\\d{12}:table/[A-Za-z0-9_.-]{3,255})$':
    'a DynamoDB table name (3 to 255 letters, digits, `_`, `.` and `-`) or a table ARN',
  '^[A-Za-z0-9 _.:/=+@-]{1,128}$': '1 to 128 letters, digits, spaces and `_.:/=+@-`',
  [TF_VERSION_CONSTRAINT_PATTERN]:
    'a Terraform version constraint: comma-separated `[op] VERSION` with op `=`, `!=`, `>`, `>=`, `<`, `<=` or `~>`, such as ">= 5.100, < 7.0" or "~> 6.25"',
  '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$': 'an email address such as `oncall@example.com`',
  [HOSTNAME_PATTERN]: 'a domain name such as `api.example.com` (a leading `*.` for a wildcard)',
  [ACM_CERTIFICATE_ARN_PATTERN]: 'an ACM certificate ARN (`arn:aws:acm:REGION:ACCOUNT:certificate/ID`)',
  [WAF_WEB_ACL_ARN_PATTERN]: 'a WAFv2 web ACL ARN (`arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID`)',
  [WAF_MANAGED_RULE_PATTERN]: 'an AWS managed rule group name such as `AWSManagedRulesCommonRuleSet`',
  [S3_BUCKET_PATTERN]: 'an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit',
  [CORS_ORIGIN_PATTERN]: 'an origin such as `https://app.example.com` (scheme, host and optional port, no path), or `*`',
  [CDN_PATH_PATTERN]: 'a CloudFront path pattern such as `/api/*`: starts with `/`; letters, digits, `_.~/-` and the wildcards `*` and `?`',
  '^[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$': 'a base path such as `v1`: `/`-separated segments of letters, digits and `._~-`, without a leading `/`',
  "^[A-Za-z0-9!_.*'()/-]{0,256}$": "an S3 key prefix such as `cdn/`: letters, digits and `!_.*'()/-`",
  '^arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}$': 'an SNS topic ARN (`arn:aws:sns:REGION:ACCOUNT:NAME`)',
  '^[A-Za-z0-9_.-]{3,255}$': 'a DynamoDB index name: 3 to 255 letters, digits, `_`, `-` or `.`',
  '^[^*?]+$': 'a key prefix without `*` or `?` (the prefix itself; cachestack adds the one `*` IAM needs)',
  [INVALIDATES_PATTERN]: 'an endpoint written `METHOD /path` as in `restApi.endpoints`, such as `GET /users/{userId}`',
  '^[a-z0-9-]+$': 'an alarm kind: lower-case letters, digits and hyphens, such as `lambda-throttles`',
};

function patternWords(pattern: string): string {
  return PATTERN_WORDS[pattern] ?? `text matching \`${pattern}\``;
}

/** What an entry name of the map at `path` is called. */
function entryNoun(path: readonly Segment[]): string {
  const last = path[path.length - 1];
  switch (last) {
    case 'handlers':
      return 'handler name';
    case 'redis':
      return 'redis cache name';
    case 'dax':
      return 'dax cluster name';
    case 'environments':
      return 'environment name';
    case 'environment':
      return 'environment variable name';
    case 'tags':
      return 'tag key';
    default:
      return 'name';
  }
}

/** A name that fits NAME_PATTERN, made from what the user wrote, or undefined. */
function nameLike(value: string): string | undefined {
  const s = value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s !== value && new RegExp(NAME_PATTERN).test(s) ? s : undefined;
}

function suggestion(value: string, candidates: readonly string[]): string | undefined {
  const c = closest(value, candidates);
  if (c !== undefined) return c;
  // `ttl` for `ttlSeconds`, `memory` for `memoryMb`: a unit suffix left out.
  const lower = value.toLowerCase();
  if (lower.length >= 3) {
    const prefixed = candidates.filter((k) => k.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  return undefined;
}

function list(values: readonly unknown[], max = 12): string {
  const shown = values.slice(0, max).map(literal).join(', ');
  return values.length > max ? `${shown} and ${values.length - max} more` : shown;
}

// ---------------------------------------------------------------------------
// From ajv errors to findings

/** One mistake: an ajv error after union filtering, with its place and value. */
interface Finding {
  keyword: string;
  params: Record<string, unknown>;
  schemaPath: string;
  /** Path of the value the keyword is about. */
  path: Segment[];
  value: unknown;
  /** For a union nobody matched: its branches. */
  branches?: Schema[];
}

const BRANCH_KEYWORDS = new Set(['anyOf', 'oneOf']);
const VALUE_KEYWORDS = ['type', 'x-union', 'const', 'enum', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'format', 'multipleOf'];

function findingsOf(errors: readonly AjvError[], root: unknown): Finding[] {
  const dropped = new Set<number>();
  const extra: Finding[] = [];
  const unions = errors
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => BRANCH_KEYWORDS.has(e.keyword))
    .sort((a, b) => a.e.schemaPath.length - b.e.schemaPath.length);
  for (const { e: u, i: ui } of unions) {
    if (dropped.has(ui)) continue;
    dropped.add(ui);
    const prefix = `${u.schemaPath}/`;
    const { path, value } = resolveInstance(root, u.instancePath);
    const branches: Schema[] = Array.isArray(schemaAt(u.schemaPath)) ? schemaAt(u.schemaPath) : [];
    const byBranch = new Map<number, number[]>();
    errors.forEach((e, i) => {
      if (dropped.has(i) || !e.schemaPath.startsWith(prefix)) return;
      if (e.instancePath !== u.instancePath && !e.instancePath.startsWith(`${u.instancePath}/`)) return;
      const b = Number(e.schemaPath.slice(prefix.length).split('/')[0]);
      if (!byBranch.has(b)) byBranch.set(b, []);
      byBranch.get(b)!.push(i);
    });
    const fitting = branches.map((s, b) => ({ s, b })).filter(({ s }) => typeMatches(s.type, value));
    let chosen: number | undefined;
    for (const { b } of fitting) {
      if (chosen === undefined || (byBranch.get(b)?.length ?? 0) < (byBranch.get(chosen)?.length ?? 0)) chosen = b;
    }
    for (const [b, idx] of byBranch) if (b !== chosen) idx.forEach((i) => dropped.add(i));
    const chosenErrors = chosen === undefined ? [] : (byBranch.get(chosen) ?? []);
    const onlyConst = chosenErrors.length > 0 && chosenErrors.every((i) => errors[i].instancePath === u.instancePath && (errors[i].keyword === 'const' || errors[i].keyword === 'enum'));
    if (chosen === undefined || onlyConst) {
      chosenErrors.forEach((i) => dropped.add(i));
      extra.push({ keyword: 'x-union', params: {}, schemaPath: u.schemaPath, path, value, branches });
    }
  }
  const out: Finding[] = [];
  errors.forEach((e, i) => {
    if (dropped.has(i)) return;
    // propertyNames reports twice (the inner keyword and itself): keep the outer one.
    if (e.schemaPath.includes('/propertyNames/')) return;
    const { path, value } = resolveInstance(root, e.instancePath);
    out.push({ keyword: e.keyword, params: e.params, schemaPath: e.schemaPath, path, value });
  });
  out.push(...extra);
  // One finding per value: a type mismatch explains everything else about the same value.
  const typed = new Set(out.filter((f) => f.keyword === 'type' || f.keyword === 'x-union').map((f) => pathKey(f.path)));
  const findings = out.filter((f) => !(typed.has(pathKey(f.path)) && VALUE_KEYWORDS.includes(f.keyword) && f.keyword !== 'type' && f.keyword !== 'x-union'));
  // Filtering must never hide every error: then each one speaks for itself.
  if (!findings.length && errors.length) {
    return errors.map((e) => ({ keyword: e.keyword, params: e.params, schemaPath: e.schemaPath, ...resolveInstance(root, e.instancePath) }));
  }
  return findings;
}

/** What to remove for a finding: a path in the checked value. */
function deletionOf(f: Finding): Segment[] {
  switch (f.keyword) {
    case 'additionalProperties':
      return [...f.path, String(f.params.additionalProperty)];
    case 'propertyNames':
      return [...f.path, String(f.params.propertyName)];
    case 'uniqueItems':
      return [...f.path, Math.max(Number(f.params.i), Number(f.params.j))];
    default:
      return f.path;
  }
}

function rangeMessage(f: Finding, parent: Schema): string {
  const v = f.value;
  const what = label(f.path);
  switch (f.keyword) {
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const lo = parent.minimum ?? parent.exclusiveMinimum;
      const hi = parent.maximum ?? parent.exclusiveMaximum;
      const loWord = parent.exclusiveMinimum !== undefined ? 'greater than' : 'at least';
      const hiWord = parent.exclusiveMaximum !== undefined ? 'less than' : 'at most';
      const bounds =
        lo !== undefined && hi !== undefined && parent.exclusiveMinimum === undefined && parent.exclusiveMaximum === undefined
          ? `between ${lo} and ${hi}`
          : [lo !== undefined ? `${loWord} ${lo}` : '', hi !== undefined ? `${hiWord} ${hi}` : ''].filter(Boolean).join(' and ');
      return `${what} must be ${bounds}; received ${String(v)}`;
    }
    case 'minLength':
    case 'maxLength': {
      const len = typeof v === 'string' ? [...v].length : 0;
      const lo = parent.minLength;
      const hi = parent.maxLength;
      const bounds = lo !== undefined && hi !== undefined ? `${lo} to ${hi} characters long` : lo !== undefined ? `at least ${lo} character${lo === 1 ? '' : 's'} long` : `at most ${hi} characters long`;
      return `${what} must be ${bounds}; received ${len} character${len === 1 ? '' : 's'}${len ? ` (${quote(String(v), 40)})` : ''}`;
    }
    case 'minItems':
    case 'maxItems': {
      const len = Array.isArray(v) ? v.length : 0;
      const lo = parent.minItems;
      const hi = parent.maxItems;
      const bounds = lo !== undefined && hi !== undefined ? `${lo} to ${hi} items` : lo !== undefined ? `at least ${lo} item${lo === 1 ? '' : 's'}` : `at most ${hi} items`;
      return `${what} must have ${bounds}; received ${len === 0 ? 'an empty list' : `${len}`}`;
    }
    default: {
      const n = isObject(v) ? Object.keys(v).length : 0;
      const lo = parent.minProperties;
      const hi = parent.maxProperties;
      const bounds = lo !== undefined && hi !== undefined ? `${lo} to ${hi} entries` : lo !== undefined ? `at least ${lo} entries` : `at most ${hi} entries`;
      return `${what} must have ${bounds}; received ${n}`;
    }
  }
}

const UNIT_SUFFIX = /(Mb|Gb|Seconds|Ms|Days)$/;

function typeHint(f: Finding, expected: readonly string[]): string | undefined {
  const v = f.value;
  const key = [...f.path].reverse().find((s) => typeof s === 'string');
  if (typeof v === 'string' && (expected.includes('integer') || expected.includes('number'))) {
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(v)) return `write the number without quotes: \`${key ?? 'value'}: ${v.trim()}\``;
    if (/^\s*-?\d/.test(v) && typeof key === 'string' && UNIT_SUFFIX.test(key)) return `write a plain number: the unit is part of the name \`${key}\``;
  }
  if (typeof v === 'string' && expected.includes('boolean') && /^(true|false|yes|no|on|off|y|n)$/i.test(v.trim())) {
    return 'write `true` or `false` without quotes (YAML 1.2 reads `yes`, `no`, `on` and `off` as text)';
  }
  if (typeof v === 'number' && expected.includes('string') && typeof key === 'string' && key === 'version') {
    return `put the version in quotes so YAML keeps it text: \`version: "${v}"\``;
  }
  if (v === null && expected.includes('object')) {
    return f.path[0] === 'environments' && f.path.length === 2 ? 'write `{}` for an environment without changes' : 'write `{}` for an empty object, or remove the key';
  }
  return undefined;
}

function issueOf(f: Finding): SchemaIssue {
  const parent: Schema = schemaAt(parentPath(f.schemaPath)) ?? {};
  const what = label(f.path);
  const v = f.value;
  switch (f.keyword) {
    case 'required': {
      const field = String(f.params.missingProperty);
      const desc = parent.properties?.[field]?.description as string | undefined;
      return {
        code: 'schema-missing-field',
        message: `missing required field \`${field}\` ${where(f.path)}`,
        hint: desc ? `\`${field}\`: ${firstSentence(desc)}` : undefined,
        path: f.path,
        point: 'key',
      };
    }
    case 'additionalProperties': {
      const key = String(f.params.additionalProperty);
      if (parent.patternProperties) {
        const pattern = Object.keys(parent.patternProperties)[0] ?? '';
        return invalidName(f.path, key, pattern);
      }
      const allowed = Object.keys(parent.properties ?? {});
      const overlay = f.schemaPath.startsWith('#/definitions/overlay/additionalProperties');
      let hint: string | undefined;
      if (overlay && Object.prototype.hasOwnProperty.call(SCHEMA.properties, key)) hint = `\`${key}\` is the same in every environment: set it in the base only`;
      else if (key === '<<') hint = 'YAML merge keys (`<<`) are not supported: write the fields out';
      else {
        const guess = suggestion(key, allowed);
        if (guess !== undefined) hint = `did you mean \`${guess}\`?`;
      }
      return {
        code: 'schema-unknown-key',
        message: `unknown key \`${key}\` ${where(f.path)}; allowed: ${[...allowed].sort().join(', ')}`,
        hint,
        path: [...f.path, key],
        point: 'key',
      };
    }
    case 'propertyNames':
      return invalidName(f.path, String(f.params.propertyName), String(schemaAt(f.schemaPath)?.pattern ?? NAME_PATTERN));
    case 'type':
    case 'x-union': {
      const expectedTypes: string[] = [];
      const expectedWords: string[] = [];
      if (f.keyword === 'type') {
        const t = f.params.type;
        const types = (Array.isArray(t) ? t : String(t).split(',')) as string[];
        expectedTypes.push(...types);
        if (parent.const !== undefined) expectedWords.push(literal(parent.const));
        else if (Array.isArray(parent.enum)) expectedWords.push(`one of ${list(parent.enum)}`);
        else expectedWords.push(...types.map((x) => TYPE_WORDS[x] ?? x));
      } else {
        for (const b of f.branches ?? []) {
          if (b.const !== undefined) {
            expectedTypes.push(jsonType(b.const));
            expectedWords.push(literal(b.const));
          } else if (Array.isArray(b.enum)) {
            expectedWords.push(`one of ${list(b.enum)}`);
          } else if (b.type !== undefined) {
            expectedTypes.push(String(b.type));
            expectedWords.push(b.type === 'object' ? 'an object of settings' : (TYPE_WORDS[String(b.type)] ?? String(b.type)));
          }
        }
      }
      let hint = typeHint(f, expectedTypes);
      if (f.keyword === 'x-union' && (v === true || (typeof v === 'string' && /^(true|yes|on|y)$/i.test(v.trim()))) && (f.branches ?? []).some((b) => b.const === false) && (f.branches ?? []).some((b) => b.type === 'object')) {
        hint = `write \`${String(f.path[f.path.length - 1])}: {}\` to turn it on with the defaults`;
      }
      return { code: 'schema-type', message: `${what} must be ${expectedWords.join(' or ')}; received ${describeValue(v)}`, hint, path: f.path, point: 'value' };
    }
    case 'const':
    case 'enum': {
      const allowed: unknown[] = f.keyword === 'const' ? [f.params.allowedValue] : ((f.params.allowedValues as unknown[]) ?? parent.enum ?? []);
      let hint: string | undefined;
      if (typeof v === 'string') {
        const guess = suggestion(v, allowed.filter((a): a is string => typeof a === 'string'));
        if (guess !== undefined) hint = `did you mean \`${guess}\`?`;
      } else if (typeof v === 'number' && allowed.every((a) => typeof a === 'number')) {
        const nearest = [...(allowed as number[])].sort((a, b) => Math.abs(a - v) - Math.abs(b - v) || a - b)[0];
        if (nearest !== undefined && allowed.length > 1) hint = `the nearest allowed value is ${nearest}`;
      }
      const must = allowed.length === 1 ? literal(allowed[0]) : `one of ${list(allowed, 40)}`;
      return { code: 'schema-enum', message: `${what} must be ${must}; received ${describeValue(v)}`, hint, path: f.path, point: 'value' };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
      return { code: 'schema-range', message: rangeMessage(f, parent), path: f.path, point: 'value' };
    case 'pattern': {
      const pattern = String(f.params.pattern);
      const hint = pattern === NAME_PATTERN && typeof v === 'string' && nameLike(v) ? `did you mean \`${nameLike(v)}\`?` : undefined;
      return { code: 'schema-pattern', message: `${what} must be ${patternWords(pattern)}; received ${describeValue(v)}`, hint, path: f.path, point: 'value' };
    }
    case 'uniqueItems': {
      const a = Math.min(Number(f.params.i), Number(f.params.j));
      const b = Math.max(Number(f.params.i), Number(f.params.j));
      const item = Array.isArray(v) ? v[b] : undefined;
      return {
        code: 'schema-invalid',
        message: `${what} lists ${typeof item === 'string' ? `\`${item}\`` : describeValue(item)} twice; each item may appear once`,
        hint: 'remove the repeated item',
        path: [...f.path, b],
        point: 'value',
        related: [{ path: [...f.path, a], message: 'first occurrence' }],
      };
    }
    default:
      return { code: 'schema-invalid', message: `${what} is not valid here (${f.keyword} ${JSON.stringify(f.params)})`, path: f.path, point: 'value' };
  }
}

function firstSentence(s: string): string {
  const m = /^(.*?[.!?])(\s|$)/.exec(s);
  const first = (m ? m[1] : s).trim().replace(/\.$/, '');
  // `Memory in MB` → `memory in MB`, but `HTTP method` stays.
  return /^[A-Z][a-z]/.test(first) ? first.charAt(0).toLowerCase() + first.slice(1) : first;
}

function invalidName(mapPath: Segment[], name: string, pattern: string): SchemaIssue {
  const noun = entryNoun(mapPath);
  const guess = pattern === NAME_PATTERN ? nameLike(name) : undefined;
  return {
    code: 'schema-pattern',
    message: `invalid ${noun} \`${name}\`; expected ${patternWords(pattern)}`,
    hint: guess ? `did you mean \`${guess}\`?` : undefined,
    path: [...mapPath, name],
    point: 'key',
  };
}

// ---------------------------------------------------------------------------
// Pruning

interface Trie {
  del: boolean;
  children: Map<Segment, Trie>;
}

function trieOf(paths: readonly Segment[][]): Trie {
  const root: Trie = { del: false, children: new Map() };
  for (const p of paths) {
    let t = root;
    for (const seg of p) {
      if (t.del) break;
      let next = t.children.get(seg);
      if (!next) t.children.set(seg, (next = { del: false, children: new Map() }));
      t = next;
    }
    t.del = true;
  }
  return root;
}

/** Copies `value` without the paths in `trie`; untouched subtrees are shared, not copied. */
function without(value: unknown, trie: Trie, path: Segment[], indexMaps: Map<string, number[]>): unknown {
  if (!trie.children.size) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    const kept: number[] = [];
    value.forEach((item, i) => {
      const t = trie.children.get(i);
      if (t?.del) return;
      out.push(t ? without(item, t, [...path, i], indexMaps) : item);
      kept.push(i);
    });
    if (kept.length !== value.length) indexMaps.set(pathKey(path), kept);
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const t = trie.children.get(k);
      if (t?.del) continue;
      setOwn(out, k, t ? without(item, t, [...path, k], indexMaps) : item);
    }
    return out;
  }
  return value;
}

/** `obj[key] = value`, also for keys such as `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A path in pruned coordinates → the same place in the original value. */
export function toOriginal(path: readonly Segment[], indexMaps: ReadonlyMap<string, number[]>): Segment[] {
  if (!indexMaps.size) return [...path];
  const out: Segment[] = [];
  for (const seg of path) {
    if (typeof seg === 'number') {
      const map = indexMaps.get(pathKey(out));
      out.push(map && seg < map.length ? map[seg] : seg);
    } else out.push(seg);
  }
  return out;
}

const MAX_PRUNE_ROUNDS = 20;

function runValidator(value: unknown): AjvError[] {
  if (validateFn(value)) return [];
  return [...(validateFn.errors ?? [])];
}

function prune(original: unknown, firstErrors: AjvError[]): PruneResult {
  const deletions: Segment[][] = [];
  let errors = firstErrors;
  let current = original;
  let indexMaps = new Map<string, number[]>();
  for (let round = 0; round < MAX_PRUNE_ROUNDS && errors.length; round++) {
    const before = deletions.length;
    for (const f of findingsOf(errors, current)) {
      const del = toOriginal(deletionOf(f), indexMaps);
      if (!del.length) return { value: undefined, usable: false, indexMaps };
      deletions.push(del);
    }
    if (deletions.length === before) break;
    indexMaps = new Map();
    current = without(original, trieOf(deletions), [], indexMaps);
    errors = runValidator(current);
  }
  const usable = errors.length === 0 && isObject(current);
  return { value: usable ? current : undefined, usable, indexMaps };
}

/** Checks a document's value: the findings as issues, and the value with every failing part removed. */
export function checkSchema(value: unknown): SchemaCheckResult {
  const errors = runValidator(value);
  if (!errors.length) return { issues: [], value, usable: isObject(value), indexMaps: new Map() };
  const issues = findingsOf(errors, value).map(issueOf);
  return { issues, ...prune(value, errors) };
}

/** Prunes a value to what validates, reporting nothing (for merged environments, whose overlay problems other checks report). */
export function pruneToSchema(value: unknown): PruneResult {
  const errors = runValidator(value);
  if (!errors.length) return { value, usable: isObject(value), indexMaps: new Map() };
  return prune(value, errors);
}
