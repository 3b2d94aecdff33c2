/**
 * The GraphQL schema analysis cache on the real file system, in temporary
 * directories (CACHESTACK_CACHE_DIR): what it stores and reads back, that a bad
 * entry or an unusable directory only costs an analysis, and that `validate`
 * prints the same diagnostics whether the cache is cold, warm, off, corrupt or
 * unwritable. (test/support/env.ts turns the cache off for every other test.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { userCacheDir } from '../../src/config/cache-dir';
import { analyzeCached, clearSdlMemo, isSdlAnalysis, SDL_ANALYSIS_FORMAT, type SdlAnalysis } from '../../src/config/sdl';
import { analyzeSdl } from '../../src/config/sdl-analysis';
import { pruneEntries, readEntry, SDL_CACHE_MARKER, sdlCacheDir, sdlCacheKey, writeEntry } from '../../src/config/sdl-cache';
import { captureIo } from '../cli/io';

const ROOT = path.join(__dirname, '..', '..');

const SDL = `
type Query { user(id: ID!): User  search(filter: Filter, first: Int): [User!]! }
type Mutation { touch(input: TouchInput!): User }
type User { id: ID!  name: String  posts(after: String): [Post] }
type Post { id: ID! title: String }
input Filter { name: String  tags: [String!]  nested: Filter }
input TouchInput { id: ID!  at: AWSDateTime }
`;
const INVALID_SDL = 'type Query { me: Usr }\ntype User { id: ID }';
const BROKEN_SDL = 'type Query {\n  a: Int\n  b(\n}';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-sdl-cache-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const envFor = (dir: string): NodeJS.ProcessEnv => ({ CACHESTACK_CACHE_DIR: dir });
const entries = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
const accept = (text: string) => (v: unknown): v is SdlAnalysis => isSdlAnalysis(v, text.length);

/** The only entry of `dir` (asserting there is one), parsed. */
function onlyEntry(dir: string): { name: string; entry: { cachestack: string; key: string; value: unknown } } {
  const names = entries(dir);
  expect(names).toHaveLength(1);
  return { name: names[0], entry: JSON.parse(fs.readFileSync(path.join(dir, names[0]), 'utf8')) };
}

describe('analyzeCached', () => {
  it.each([
    ['a valid schema', SDL],
    ['an invalid schema', INVALID_SDL],
    ['a schema that does not parse', BROKEN_SDL],
  ])('GIVEN %s WHEN analysed cold THEN the result is the analysis and one entry holds it, keyed by its name', (_name, text) => {
    const fresh = analyzeSdl(text);
    expect(analyzeCached(text, envFor(tmp))).toEqual(fresh);
    const { name, entry } = onlyEntry(path.join(tmp, 'sdl'));
    expect(name).toBe(`${entry.key}.json`);
    expect(entry.cachestack).toBe(SDL_CACHE_MARKER);
    expect(entry.value).toEqual(fresh);
    // The entry holds the analysis and nothing of the machine: no path of it.
    expect(JSON.stringify(entry)).not.toContain(tmp);
  });

  it('GIVEN a valid entry WHEN analysed again THEN the entry is what is returned (read, not recomputed)', () => {
    analyzeCached(SDL, envFor(tmp));
    const dir = path.join(tmp, 'sdl');
    const { name, entry } = onlyEntry(dir);
    // A well-formed value under the right key that the analysis would never give: only a read returns it.
    const planted: SdlAnalysis = { ok: true, summary: { types: [{ name: 'Planted', kind: 'object', fields: [] }], query: 'Planted' } };
    fs.writeFileSync(path.join(dir, name), JSON.stringify({ ...entry, value: planted }));
    expect(analyzeCached(SDL, envFor(tmp))).toEqual(planted);
  });

  it('GIVEN two different schemas WHEN analysed THEN each has its own entry and result (a changed SDL misses)', () => {
    const changed = SDL.replace('title: String', 'title: String\n  body: String');
    const first = analyzeCached(SDL, envFor(tmp));
    const second = analyzeCached(changed, envFor(tmp));
    expect(second).toEqual(analyzeSdl(changed));
    expect(second).not.toEqual(first);
    expect(entries(path.join(tmp, 'sdl'))).toHaveLength(2);
  });

  it.each([
    ['CACHESTACK_NO_CACHE=1', { CACHESTACK_NO_CACHE: '1' }],
    ['CACHESTACK_NO_CACHE=true', { CACHESTACK_NO_CACHE: 'true' }],
    ['CACHESTACK_NO_CACHE=YES', { CACHESTACK_NO_CACHE: 'YES' }],
  ])('GIVEN %s WHEN analysed THEN nothing is written and the result is the analysis', (_name, extra) => {
    expect(analyzeCached(SDL, { ...envFor(tmp), ...extra })).toEqual(analyzeSdl(SDL));
    expect(entries(tmp)).toEqual([]);
  });

  const corruptions: [string, (file: string, entry: Record<string, unknown>) => void][] = [
    ['a truncated entry', (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100))],
    ['an empty file', (file) => fs.writeFileSync(file, '')],
    ['text that is not JSON', (file) => fs.writeFileSync(file, 'not json at all\n')],
    ['JSON that is not an entry', (file) => fs.writeFileSync(file, '[1,2,3]')],
    ['another tool\'s entry', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, cachestack: 'something-else' }))],
    ['an entry of another key', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, key: '0'.repeat(64) }))],
    ['a summary of the wrong shape', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, value: { ok: true, summary: { types: 'Query' } } }))],
    ['a type of an unknown kind', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, value: { ok: true, summary: { types: [{ name: 'Query', kind: 'union' }] } } }))],
    ['an unknown member', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, value: { ok: true, summary: { types: [], extra: 1 } } }))],
    ['problems with an offset past the text', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, value: { ok: false, problems: [{ kind: 'syntax', message: 'x', start: 1e9 }] } }))],
    ['no problems and not ok', (file, e) => fs.writeFileSync(file, JSON.stringify({ ...e, value: { ok: false, problems: [] } }))],
  ];
  it.each(corruptions)('GIVEN %s in place of the entry WHEN analysed THEN it is ignored, the analysis returned and the entry rewritten', (_name, corrupt) => {
    analyzeCached(SDL, envFor(tmp));
    const dir = path.join(tmp, 'sdl');
    const { name, entry } = onlyEntry(dir);
    corrupt(path.join(dir, name), entry);
    expect(analyzeCached(SDL, envFor(tmp))).toEqual(analyzeSdl(SDL));
    expect(onlyEntry(dir).entry).toEqual(entry);
  });

  it('GIVEN a directory in place of the entry WHEN analysed THEN the analysis is returned', () => {
    analyzeCached(SDL, envFor(tmp));
    const dir = path.join(tmp, 'sdl');
    const { name } = onlyEntry(dir);
    fs.rmSync(path.join(dir, name));
    fs.mkdirSync(path.join(dir, name));
    expect(analyzeCached(SDL, envFor(tmp))).toEqual(analyzeSdl(SDL));
    expect(analyzeCached(SDL, envFor(tmp))).toEqual(analyzeSdl(SDL));
  });

  it('GIVEN a cache directory that group or others may write to WHEN analysed THEN its entries are neither read nor written', () => {
    analyzeCached(SDL, envFor(tmp));
    const dir = path.join(tmp, 'sdl');
    const { name, entry } = onlyEntry(dir);
    const planted: SdlAnalysis = { ok: true, summary: { types: [], query: 'Planted' } };
    fs.writeFileSync(path.join(dir, name), JSON.stringify({ ...entry, value: planted }));
    for (const mode of [0o777, 0o720, 0o702]) {
      fs.chmodSync(dir, mode);
      expect(analyzeCached(SDL, envFor(tmp))).toEqual(analyzeSdl(SDL));
      expect(analyzeCached(INVALID_SDL, envFor(tmp))).toEqual(analyzeSdl(INVALID_SDL));
      expect(entries(dir)).toEqual([name]);
    }
    // The same directory made private again: the planted entry is read, so the check above is what refused it.
    fs.chmodSync(dir, 0o700);
    expect(analyzeCached(SDL, envFor(tmp))).toEqual(planted);
  });

  it('GIVEN a cache directory that cannot be created (under a regular file) WHEN analysed THEN the analysis is returned and nothing throws', () => {
    const file = path.join(tmp, 'file');
    fs.writeFileSync(file, 'x');
    const env = envFor(path.join(file, 'cache'));
    expect(analyzeCached(SDL, env)).toEqual(analyzeSdl(SDL));
    expect(analyzeCached(INVALID_SDL, env)).toEqual(analyzeSdl(INVALID_SDL));
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  it('GIVEN a missing cache directory WHEN analysed THEN it is created with the entry in it', () => {
    const env = envFor(path.join(tmp, 'a', 'b'));
    expect(analyzeCached(SDL, env)).toEqual(analyzeSdl(SDL));
    expect(entries(path.join(tmp, 'a', 'b', 'sdl'))).toHaveLength(1);
  });

  it('GIVEN a read-only cache directory holding the entry WHEN analysed THEN the entry is read', () => {
    analyzeCached(SDL, envFor(tmp));
    const dir = path.join(tmp, 'sdl');
    fs.chmodSync(dir, 0o500);
    try {
      expect(analyzeCached(SDL, envFor(tmp))).toEqual(analyzeSdl(SDL));
      expect(analyzeCached(INVALID_SDL, envFor(tmp))).toEqual(analyzeSdl(INVALID_SDL));
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });
});

describe('the entry format', () => {
  it('GIVEN a value WHEN written THEN it reads back, and no temporary file is left', () => {
    writeEntry(tmp, 'a'.repeat(64), { ok: false, problems: [{ kind: 'syntax', message: 'm', start: 0, end: 1 }] });
    expect(readEntry(tmp, 'a'.repeat(64), accept('x'))).toEqual({ ok: false, problems: [{ kind: 'syntax', message: 'm', start: 0, end: 1 }] });
    expect(entries(tmp)).toEqual([`${'a'.repeat(64)}.json`]);
  });

  it('GIVEN no entry WHEN read THEN nothing is returned', () => {
    expect(readEntry(tmp, 'b'.repeat(64), accept('x'))).toBeUndefined();
    expect(readEntry(path.join(tmp, 'missing'), 'b'.repeat(64), accept('x'))).toBeUndefined();
  });

  it('GIVEN the key WHEN the fingerprint or the text differs THEN so does the key', () => {
    const fp = JSON.stringify({ format: SDL_ANALYSIS_FORMAT });
    const key = sdlCacheKey(fp, SDL);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(sdlCacheKey(fp, SDL)).toBe(key);
    expect(sdlCacheKey(fp, `${SDL} `)).not.toBe(key);
    expect(sdlCacheKey(JSON.stringify({ format: SDL_ANALYSIS_FORMAT + 1 }), SDL)).not.toBe(key);
  });
});

describe('pruneEntries', () => {
  it('GIVEN old entries, too many entries, a stale temporary file and other files WHEN pruned THEN the newest entries and the other files stay', () => {
    const now = Date.parse('2026-12-07T00:00:00Z');
    const day = 24 * 3600 * 1000;
    const touch = (name: string, ageMs: number) => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, '{}');
      fs.utimesSync(file, (now - ageMs) / 1000, (now - ageMs) / 1000);
    };
    const key = (i: number) => i.toString(16).padStart(64, '0');
    for (let i = 0; i < 7; i++) touch(`${key(i)}.json`, i * 1000);
    touch(`${key(100)}.json`, 31 * day);
    touch(`.${key(200)}.123.abcdef.tmp`, 2 * 3600 * 1000);
    touch(`.${key(201)}.124.abcdef.tmp`, 60 * 1000);
    touch('README', 365 * day);
    pruneEntries(tmp, now, 5);
    expect(entries(tmp)).toEqual([`.${key(201)}.124.abcdef.tmp`, ...[0, 1, 2, 3, 4].map((i) => `${key(i)}.json`), 'README'].sort());
  });
});

describe('where the cache is', () => {
  it('GIVEN CACHESTACK_CACHE_DIR THEN it is its sdl directory, relative to the working directory', () => {
    expect(sdlCacheDir({ CACHESTACK_CACHE_DIR: 'c' }, '/work/p')).toBe(path.resolve('/work/p', 'c', 'sdl'));
  });
  it('GIVEN CACHESTACK_NO_CACHE=1 THEN there is none', () => {
    expect(sdlCacheDir({ CACHESTACK_CACHE_DIR: 'c', CACHESTACK_NO_CACHE: '1' }, '/work/p')).toBeUndefined();
  });
  it('GIVEN CACHESTACK_NO_CACHE=0 or empty THEN the cache is on', () => {
    expect(sdlCacheDir({ CACHESTACK_CACHE_DIR: '/c', CACHESTACK_NO_CACHE: '0' })).toBe(path.resolve('/c', 'sdl'));
    expect(sdlCacheDir({ CACHESTACK_CACHE_DIR: '/c', CACHESTACK_NO_CACHE: '' })).toBe(path.resolve('/c', 'sdl'));
  });
  it('GIVEN no variable THEN it is cachestack/sdl of the user cache directory', () => {
    expect(sdlCacheDir({ XDG_CACHE_HOME: '/x' })).toBe(path.join(userCacheDir({ XDG_CACHE_HOME: '/x' }), 'cachestack', 'sdl'));
  });
  it.each([
    ['linux with an absolute XDG_CACHE_HOME', 'linux', { XDG_CACHE_HOME: '/xdg' }, '/xdg'],
    ['linux with a relative XDG_CACHE_HOME (ignored, as the XDG spec says)', 'linux', { XDG_CACHE_HOME: 'rel' }, path.join(os.homedir(), '.cache')],
    ['linux without XDG_CACHE_HOME', 'linux', {}, path.join(os.homedir(), '.cache')],
    ['macOS', 'darwin', { XDG_CACHE_HOME: '/xdg' }, path.join(os.homedir(), 'Library', 'Caches')],
    ['Windows with LOCALAPPDATA', 'win32', { LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'C:\\Users\\u\\AppData\\Local'],
    ['Windows without LOCALAPPDATA', 'win32', {}, path.join(os.homedir(), 'AppData', 'Local')],
  ] as const)('GIVEN %s THEN the user cache directory follows the platform', (_name, platform, env, expected) => {
    expect(userCacheDir(env, platform)).toBe(expected);
  });
});

/** Config files next to a GraphQL schema: every rule fixture that has one, and the examples. */
function graphqlConfigs(): string[] {
  const dirs = [
    ...fs
      .readdirSync(path.join(ROOT, 'test', 'fixtures', 'rules'))
      .map((d) => path.join('test', 'fixtures', 'rules', d))
      .filter((d) => fs.readdirSync(path.join(ROOT, d)).some((f) => f.endsWith('.graphql'))),
    path.join('config', 'examples'),
  ];
  return dirs.flatMap((d) => fs.readdirSync(path.join(ROOT, d)).filter((f) => f.endsWith('.yaml')).map((f) => path.join(d, f))).sort();
}

describe('validate with the cache', () => {
  const saved = { dir: process.env.CACHESTACK_CACHE_DIR, off: process.env.CACHESTACK_NO_CACHE };
  afterEach(() => {
    for (const [name, value] of [['CACHESTACK_CACHE_DIR', saved.dir], ['CACHESTACK_NO_CACHE', saved.off]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    clearSdlMemo();
  });

  /** One `validate --format json` of every config, as a fresh process would run it, with the cache as `env` sets it. */
  async function validate(env: { CACHESTACK_CACHE_DIR?: string; CACHESTACK_NO_CACHE?: string }): Promise<{ code: number; out: string; err: string }> {
    delete process.env.CACHESTACK_CACHE_DIR;
    delete process.env.CACHESTACK_NO_CACHE;
    Object.assign(process.env, env);
    clearSdlMemo();
    const io = captureIo(ROOT);
    const code = await run(['validate', ...graphqlConfigs(), '--format', 'json'], io);
    return { code, out: io.out, err: io.err };
  }

  it('GIVEN the rule fixtures with a schema and the examples WHEN validated with the cache cold, warm, off, corrupt and unwritable THEN the output is the same', async () => {
    const configs = graphqlConfigs();
    expect(configs.length).toBeGreaterThan(20);
    const off = await validate({ CACHESTACK_NO_CACHE: '1' });
    // The fixtures include invalid schemas and resolvers on missing fields, so the rules had something to say.
    expect(off.code).toBe(1);
    for (const code of ['graphql-schema-syntax', 'resolver-field-not-in-schema', 'cache-key-incomplete', 'eviction-key-unresolved', 'resolver-cache-mutation']) {
      expect(off.out).toContain(`"${code}"`);
    }

    const cold = await validate({ CACHESTACK_CACHE_DIR: tmp });
    const dir = path.join(tmp, 'sdl');
    const written = entries(dir);
    expect(written.length).toBeGreaterThan(5);
    const warm = await validate({ CACHESTACK_CACHE_DIR: tmp });
    expect(entries(dir)).toEqual(written);

    // Every entry corrupt in a different way: truncated, emptied, another key.
    written.forEach((name, i) => {
      const file = path.join(dir, name);
      const text = fs.readFileSync(file, 'utf8');
      fs.writeFileSync(file, [text.slice(0, text.length / 2), '', text.replace(/"key":"[0-9a-f]+"/, `"key":"${'f'.repeat(64)}"`)][i % 3]);
    });
    const corrupt = await validate({ CACHESTACK_CACHE_DIR: tmp });
    const rewritten = await validate({ CACHESTACK_CACHE_DIR: tmp });

    const blocker = path.join(tmp, 'blocker');
    fs.writeFileSync(blocker, '');
    const unwritable = await validate({ CACHESTACK_CACHE_DIR: path.join(blocker, 'cache') });

    for (const other of [cold, warm, corrupt, rewritten, unwritable]) expect(other).toEqual(off);
  });
});
