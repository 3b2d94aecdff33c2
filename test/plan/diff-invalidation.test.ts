/**
 * diff on invalidation grants and evictions, through `diffModels` with models
 * from the real loader: a new `invalidates` grant is flagged security, a removed
 * one is not; an eviction added or removed is listed unflagged, the removal saying
 * the entries now live until their TTL. Then once through the CLI with a base file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { diffModels } from '../../src/plan/diff';
import { diffInvalidation } from '../../src/plan/diff-invalidation';
import { MINIMAL, TempDir } from '../config/helpers';
import { captureIo } from '../cli/io';

const SDL = 'type Query { me: String }\ntype Mutation { rename(name: String): String }\n';
const doc = (invalidates: string, evicts: string) =>
  MINIMAL +
  [
    'handlers:',
    '  api:',
    '    entry: ok.ts',
    `    invalidates: ${invalidates}`,
    'restApi:',
    '  name: api',
    '  cache: {}',
    '  endpoints:',
    '    - { path: /items, method: GET, handler: api, auth: none, cache: { shared: true } }',
    '    - { path: /other, method: GET, handler: api, auth: none, cache: { shared: true } }',
    'graphqlApi:',
    '  name: api',
    '  schema: s.graphql',
    '  auth: iam',
    '  cache: {}',
    '  resolvers:',
    '    - { field: Query.me, handler: api, cache: { keys: [$context.identity.userArn] } }',
    '    - field: Mutation.rename',
    '      handler: api',
    `      evicts: ${evicts}`,
    '',
  ].join('\n');

let tmp: TempDir;
beforeEach(() => (tmp = new TempDir()));
afterEach(() => tmp.remove());

function model(yaml: string) {
  tmp.write('svc.yaml', yaml);
  tmp.write('s.graphql', SDL);
  const r = tmp.load(['svc.yaml']);
  expect(r.diagnostics).toEqual([]);
  return r.models[0];
}

describe('diff: invalidation', () => {
  it('GIVEN a new invalidates entry THEN the grant is added and flagged security; removing it is not flagged', () => {
    const base = model(doc('["GET /items"]', '[]'));
    const head = model(doc('["GET /items", "GET /other"]', '[]'));
    const added = diffInvalidation(base, head);
    expect(added).toEqual([
      expect.objectContaining({ subject: 'invalidation', name: 'api → GET /other', action: 'add', flags: ['security'], message: 'grant added: handler api may refresh cached entries of GET /other (execute-api:InvalidateCache)' }),
    ]);
    const removed = diffInvalidation(head, base);
    expect(removed).toEqual([expect.objectContaining({ action: 'remove', flags: [] })]);
    expect(diffModels(base, head).filter((c) => c.subject === 'invalidation')).toEqual(added);
  });

  it('GIVEN a new stack with a grant THEN it is flagged; GIVEN nothing changed THEN nothing is listed', () => {
    const head = model(doc('["GET /items"]', '[]'));
    expect(diffInvalidation(undefined, head).map((c) => [c.action, c.flags])).toEqual([['add', ['security']]]);
    expect(diffInvalidation(head, model(doc('["GET /items"]', '[]')))).toEqual([]);
  });

  it('GIVEN an eviction added then removed THEN both are listed unflagged, the removal naming the ttl', () => {
    const base = model(doc('[]', '[]'));
    const head = model(doc('[]', '[{ field: Query.me }]'));
    expect(diffInvalidation(base, head)).toEqual([expect.objectContaining({ name: 'Mutation.rename → Query.me', action: 'add', flags: [] })]);
    const removed = diffInvalidation(head, base);
    expect(removed).toEqual([expect.objectContaining({ action: 'remove', flags: [], message: 'eviction removed: after Mutation.rename, Query.me entries stay cached until their ttl ends' })]);
  });

  it('GIVEN the CLI with --fail-on security THEN a new grant fails the check', async () => {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-diff-inv-')));
    try {
      fs.writeFileSync(path.join(dir, 'ok.ts'), 'export const handler = async () => ({});\n');
      fs.writeFileSync(path.join(dir, 's.graphql'), SDL);
      fs.writeFileSync(path.join(dir, 'base.yaml'), doc('[]', '[]'));
      fs.writeFileSync(path.join(dir, 'svc.yaml'), doc('["GET /items"]', '[]'));
      const io = captureIo(dir);
      const code = await run(['diff', '--base-file', 'base.yaml', 'svc.yaml', '--fail-on', 'security'], io);
      expect(io.out).toContain('invalidation api → GET /items: grant added: handler api may refresh cached entries of GET /items (execute-api:InvalidateCache)');
      expect(code).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
