/**
 * Key builders from the YAML's key patterns: `user:profile:{userId}` with
 * `ttlSeconds: 300` becomes `keys.userProfile(userId)` (or
 * `keys.userProfile({ userId })`), which returns `{ key: 'user:profile:42',
 * ttlSeconds: 300 }`. No dependencies.
 *
 * Parameter values are inserted as they are, except that `%`, `:`, `{`, `}` and
 * white space or control characters are percent-encoded, so a value cannot
 * forge a key of another shape (`user:profile:{userId}` with userId `1:x` gives
 * `user:profile:1%3Ax`). An empty value is refused: it would make one key shared
 * by every caller.
 */
import type { RedisKeySetting } from './contract';

/** A concrete key with the TTL of the pattern it came from. */
export interface CacheKey {
  key: string;
  ttlSeconds: number;
  /** Name of the pattern (`userProfile`). */
  name: string;
}

export type KeyParam = string | number;

export interface KeyBuilder {
  (...values: KeyParam[]): CacheKey;
  (values: Record<string, KeyParam>): CacheKey;
  readonly pattern: string;
  readonly ttlSeconds: number;
  /** The `{param}` names, in pattern order. */
  readonly params: readonly string[];
}

export class CacheKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheKeyError';
  }
}

const PARAM = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

function encodeValue(v: string): string {
  return v.replace(/[%:{}\s\p{Cc}]/gu, (c) => encodeURIComponent(c));
}

/** Characters with a meaning in a Redis MATCH glob. */
const GLOB_SPECIAL = /[*?[\]\\]/g;

function escapeGlob(s: string): string {
  return s.replace(GLOB_SPECIAL, (c) => `\\${c}`);
}

/**
 * A key pattern with some parameters given → a Redis `MATCH` glob and the
 * equivalent RegExp: given parameters are encoded as the key builder encodes
 * them and glob-escaped; a parameter not given, and a `*` or `?` written in the
 * pattern itself, match anything (`?` one character). `[`, `]` and `\` in the
 * pattern's literal text are matched literally.
 * `courses:semester:{semesterId}:*` with `{ semesterId: 'S1' }` →
 * `courses:semester:S1:*`.
 */
export function matchPattern(pattern: string, values: Record<string, KeyParam> = {}): { glob: string; regexp: RegExp } {
  const params = patternParams(pattern);
  const unknown = Object.keys(values).filter((k) => !params.includes(k));
  if (unknown.length) throw new CacheKeyError(`pattern ${pattern} has no parameter ${unknown.map((u) => `\`${u}\``).join(', ')}; its parameters are ${params.map((p) => `\`${p}\``).join(', ') || 'none'}`);
  const parts = pattern.split(PARAM);
  let glob = '';
  let re = '';
  const literal = (text: string) => {
    for (const ch of text) {
      if (ch === '*') {
        glob += '*';
        re += '[\\s\\S]*';
      } else if (ch === '?') {
        glob += '?';
        re += '[\\s\\S]';
      } else {
        glob += escapeGlob(ch);
        re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
    }
  };
  literal(parts[0]);
  for (let i = 0; i < params.length; i++) {
    const v = values[params[i]];
    if (v === undefined) {
      glob += '*';
      re += '[\\s\\S]*';
    } else {
      if ((typeof v !== 'string' && typeof v !== 'number') || v === '' || (typeof v === 'number' && !Number.isFinite(v))) {
        throw new CacheKeyError(`pattern ${pattern}: \`${params[i]}\` must be a non-empty string or a finite number, got ${JSON.stringify(v) ?? String(v)}`);
      }
      const encoded = encodeValue(String(v));
      glob += escapeGlob(encoded);
      re += encoded.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    literal(parts[2 * i + 2]);
  }
  if (!/[^*?]/.test(glob)) throw new CacheKeyError(`pattern ${pattern} matches every key; give a literal prefix (\`user:profile:*\`), or flush the cache instead`);
  return { glob, regexp: new RegExp(`^${re}$`) };
}

/** Parameter names of a pattern, in order. */
export function patternParams(pattern: string): string[] {
  return [...pattern.matchAll(PARAM)].map((m) => m[1]);
}

export function keyBuilder(setting: RedisKeySetting): KeyBuilder {
  const { name, pattern, ttlSeconds } = setting;
  const params = patternParams(pattern);
  const parts = pattern.split(PARAM); // literal, param, literal, param, ..., literal
  const build = (...args: unknown[]): CacheKey => {
    let values: unknown[];
    if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) {
      const named = args[0] as Record<string, unknown>;
      const unknown = Object.keys(named).filter((k) => !params.includes(k));
      if (unknown.length) throw new CacheKeyError(`key \`${name}\` (${pattern}) has no parameter ${unknown.map((u) => `\`${u}\``).join(', ')}; its parameters are ${params.map((p) => `\`${p}\``).join(', ') || 'none'}`);
      values = params.map((p) => named[p]);
    } else {
      if (args.length !== params.length) throw new CacheKeyError(`key \`${name}\` (${pattern}) takes ${params.length} value(s) (${params.join(', ')}), got ${args.length}`);
      values = args;
    }
    let key = parts[0];
    for (let i = 0; i < params.length; i++) {
      const v = values[i];
      if ((typeof v !== 'string' && typeof v !== 'number') || v === '' || (typeof v === 'number' && !Number.isFinite(v))) {
        throw new CacheKeyError(`key \`${name}\` (${pattern}): \`${params[i]}\` must be a non-empty string or a finite number, got ${JSON.stringify(v) ?? String(v)}`);
      }
      key += encodeValue(String(v)) + parts[2 * i + 2];
    }
    return { key, ttlSeconds, name };
  };
  return Object.assign(build, { pattern, ttlSeconds, params }) as KeyBuilder;
}

export function keyBuilders(settings: readonly RedisKeySetting[]): Record<string, KeyBuilder> {
  const out: Record<string, KeyBuilder> = {};
  for (const s of settings) out[s.name] = keyBuilder(s);
  return out;
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)] as number[]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

/** The message for an unknown key name, with the names that exist and a "did you mean" hint. */
export function unknownKeyMessage(name: string, known: readonly string[], cache: string): string {
  const list = known.length ? known.map((k) => `\`${k}\``).join(', ') : 'none';
  let msg = `redis cache \`${cache}\` has no key pattern named \`${name}\`; the patterns are ${list}`;
  const best = known.map((k) => ({ k, d: distance(name, k) })).sort((x, y) => x.d - y.d)[0];
  if (best && best.d <= Math.max(2, Math.floor(name.length / 3))) msg += ` (did you mean \`${best.k}\`?)`;
  else msg += ' (add it under `redis.<cache>.keys` in the YAML)';
  return msg;
}
