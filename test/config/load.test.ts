/**
 * loadConfig as the CLI uses it: which models come out, environment selection,
 * display paths, sources, counts.
 */
import * as path from 'path';
import { loadConfig } from '../../src/config';
import { MINIMAL, places, TempDir } from './helpers';

let tmp: TempDir;
beforeEach(() => {
  tmp = new TempDir();
});
afterEach(() => tmp.remove());

const WITH_ENVS = `${MINIMAL}handlers:\n  api:\n    entry: ok.ts\nenvironments:\n  dev:\n    handlers: { api: { memoryMb: 256 } }\n  prod: {}\n`;

describe('loadConfig', () => {
  it('GIVEN a file with environments WHEN loaded THEN one model per environment in file order', () => {
    const r = tmp.load([tmp.write('svc.yaml', WITH_ENVS)]);
    expect(r.diagnostics).toEqual([]);
    expect(r.models.map((m) => [m.stackName, m.environment, m.handlers[0].memoryMb, m.sourceFile])).toEqual([
      ['svc-dev', 'dev', 256, 'svc.yaml'],
      ['svc-prod', 'prod', 512, 'svc.yaml'],
    ]);
    expect(r.files).toEqual([{ file: 'svc.yaml', service: 'svc', environments: ['dev', 'prod'], models: r.models, errors: 0, warnings: 0 }]);
    expect(r.models[0].baseDir).toBe(tmp.dir);
    expect(r.models[0].handlers[0].entryPath).toBe(path.join(tmp.dir, 'ok.ts'));
  });

  it('GIVEN --env WHEN loaded THEN only that environment is resolved', () => {
    const r = tmp.load([tmp.write('svc.yaml', WITH_ENVS)], { env: 'prod' });
    expect(r.models.map((m) => m.stackName)).toEqual(['svc-prod']);
    expect(r.unknownEnvironment).toBeUndefined();
  });

  it('GIVEN --env naming an environment no file defines WHEN loaded THEN unknownEnvironment says so', () => {
    const r = tmp.load([tmp.write('svc.yaml', WITH_ENVS), tmp.write('plain.yaml', MINIMAL.replace('svc', 'plain'))], { env: 'staging' });
    expect(r.unknownEnvironment).toBe('staging');
    // A file without environments has one model whatever the environment asked for.
    expect(r.models.map((m) => m.stackName)).toEqual(['plain']);
  });

  it('GIVEN --env and a file that cannot be parsed WHEN loaded THEN the environment is not called unknown (it may be in that file)', () => {
    const r = tmp.load([tmp.write('svc.yaml', WITH_ENVS), tmp.write('broken.yaml', 'a: [\n')], { env: 'staging' });
    expect(r.unknownEnvironment).toBeUndefined();
    expect(places(r)).toEqual(['yaml-syntax 2:1']);
  });

  it('GIVEN a file with an error WHEN loaded THEN it yields no model, other files still do', () => {
    const r = tmp.load([tmp.write('a.yaml', `${MINIMAL}bogus: 1\n`), tmp.write('b.yaml', MINIMAL.replace('svc', 'other'))]);
    expect(r.models.map((m) => m.service)).toEqual(['other']);
    expect(r.files.map((f) => [f.file, f.errors, f.models.length])).toEqual([
      ['a.yaml', 1, 0],
      ['b.yaml', 0, 1],
    ]);
  });

  it('GIVEN a file with only warnings WHEN loaded THEN it still yields its models', () => {
    const text = `${MINIMAL}handlers:\n  api:\n    entry: ok.ts\nwarmer: {}\n`;
    const r = tmp.load([tmp.write('svc.yaml', text)]);
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['warmer-without-targets', 'warning']]);
    expect(r.files[0]).toMatchObject({ errors: 0, warnings: 1 });
    expect(r.models).toHaveLength(1);
  });

  it('GIVEN files in several directories WHEN loaded THEN diagnostics are sorted by file and offset, paths use /', () => {
    const r = tmp.load([tmp.write('z/b.yaml', `${MINIMAL}zz: 1\naa: 1\n`), tmp.write('a/c.yaml', `${MINIMAL.replace('svc', 'other')}q: 1\n`)]);
    expect(r.diagnostics.map((d) => `${d.location.file} ${d.path}`)).toEqual(['a/c.yaml q', 'z/b.yaml zz', 'z/b.yaml aa']);
    expect([...r.sources.keys()].sort()).toEqual(['a/c.yaml', 'z/b.yaml']);
  });

  it('GIVEN the same file twice WHEN loaded THEN it is loaded once', () => {
    const name = tmp.write('svc.yaml', MINIMAL);
    expect(tmp.load([name, `./${name}`, path.join(tmp.dir, name)]).files).toHaveLength(1);
  });

  it('GIVEN a file outside the working directory WHEN loaded THEN its display path is absolute', () => {
    const outside = new TempDir();
    try {
      const file = path.join(outside.dir, outside.write('svc.yaml', `${MINIMAL}bogus: 1\n`));
      const r = tmp.load([file]);
      expect(r.diagnostics[0].location.file).toBe(file.split(path.sep).join('/'));
      expect(r.sources.has(r.diagnostics[0].location.file)).toBe(true);
    } finally {
      outside.remove();
    }
  });

  it('GIVEN a diagnostic inside a GraphQL schema WHEN loaded THEN sources hold that file too', () => {
    tmp.write('api.graphql', 'type Query {\n  me: String\n');
    const text = `${MINIMAL}handlers:\n  api:\n    entry: ok.ts\ngraphqlApi:\n  name: gql\n  schema: api.graphql\n`;
    const r = tmp.load([tmp.write('svc.yaml', text)]);
    const inSchema = r.diagnostics.filter((d) => d.location.file === 'api.graphql');
    expect(inSchema.map((d) => d.code)).toEqual(['graphql-schema-syntax']);
    expect(r.sources.get('api.graphql')).toBe('type Query {\n  me: String\n');
  });

  it('GIVEN the same input twice WHEN loaded THEN the results are identical', () => {
    const name = tmp.write('svc.yaml', `${WITH_ENVS}restApi:\n  name: api\n  endpoints:\n    - { path: /a, method: GET, handler: nope }\n`);
    const a = tmp.load([name]);
    const b = tmp.load([name]);
    expect(JSON.stringify({ ...a, sources: [...a.sources] })).toBe(JSON.stringify({ ...b, sources: [...b.sources] }));
  });

  it('GIVEN the default cwd WHEN loading a path relative to it THEN the display path is relative', () => {
    const rel = path.relative(process.cwd(), path.join(tmp.dir, tmp.write('svc.yaml', MINIMAL)));
    const r = loadConfig([rel]);
    expect(r.files[0].file).toBe(rel.startsWith('..') ? path.join(tmp.dir, 'svc.yaml') : rel.split(path.sep).join('/'));
  });

  it('GIVEN two files that give the same stack name WHEN loaded together THEN duplicate-stack at the later file\'s service, related to the first, and only the first file\'s models', () => {
    const r = tmp.load([tmp.write('a.yaml', WITH_ENVS), tmp.write('b.yaml', `${MINIMAL.replace('service: svc', 'service: svc-prod')}`), tmp.write('c.yaml', MINIMAL.replace('svc', 'other'))]);
    expect(places(r)).toEqual(['duplicate-stack 2:10']);
    const d = r.diagnostics[0];
    expect(d.location.file).toBe('b.yaml');
    expect(d.message).toBe('stack `svc-prod` is also defined by a.yaml; each service and environment must come from one file');
    expect(d.related?.map((x) => [x.location.file, x.message])).toEqual([['a.yaml', '`service: svc` is first defined here']]);
    expect(r.models.map((m) => m.stackName)).toEqual(['svc-dev', 'svc-prod', 'other']);
    expect(r.files.map((f) => [f.file, f.errors, f.models.length])).toEqual([
      ['a.yaml', 0, 2],
      ['b.yaml', 1, 0],
      ['c.yaml', 0, 1],
    ]);
  });

  it('GIVEN the same file named twice or files with distinct stacks WHEN loaded THEN no duplicate-stack', () => {
    const r = tmp.load([tmp.write('a.yaml', WITH_ENVS), 'a.yaml', tmp.write('b.yaml', MINIMAL.replace('svc', 'svc-staging'))]);
    expect(r.diagnostics).toEqual([]);
    expect(r.models.map((m) => m.stackName)).toEqual(['svc-dev', 'svc-prod', 'svc-staging']);
  });
});
