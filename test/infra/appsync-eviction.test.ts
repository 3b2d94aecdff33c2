/**
 * A resolver with `evicts` through real synthesis: an APPSYNC_JS resolver on the
 * same Lambda data source. Its code is parsed (esbuild, as a module) and its
 * functions run in node's vm in strict mode against stub `util` and `extensions`
 * and a stub ctx, so what AppSync would evict, with which key values, is checked
 * by running it.
 */
import { Testing } from 'cdktf';
import { transformSync } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { evictingResolverCode, evictionPlans } from '../../src/infra/appsync-eviction';
import { graphqlApi, handler, model, resolver } from './model-builder';
import { resourcesOf, synth, type Json } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const SDL = `type Profile { id: ID! name: String }
type Query { myProfile: Profile user(userId: ID!): Profile }
type Mutation { updateProfile(input: ProfileInput!): Profile }
input ProfileInput { id: ID! name: String }
`;

function evictingModel() {
  const myProfile = resolver('Query.myProfile', 'profile', { cache: { ttlSeconds: 300, keys: ['$context.identity.sub'], shared: false } });
  const user = resolver('Query.user', 'profile', { cache: { ttlSeconds: 300, keys: ['$context.identity.sub', '$context.arguments.userId'], shared: false } });
  const update = resolver('Mutation.updateProfile', 'writer', {
    evicts: [
      { field: 'Query.myProfile', typeName: 'Query', fieldName: 'myProfile', keys: {} },
      { field: 'Query.user', typeName: 'Query', fieldName: 'user', keys: { '$context.arguments.userId': '$context.arguments.input.id' } },
    ],
  });
  return model({
    handlers: [handler('profile'), handler('writer')],
    graphqlApi: graphqlApi([myProfile, user, update], {
      schemaSdl: SDL,
      cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 300, encryption: { atRest: true, transit: true }, healthMetrics: true },
    }),
  });
}

interface Evicted {
  typeName: string;
  fieldName: string;
  keys: Record<string, unknown>;
}

/** Load the generated module: esbuild parses it as an ES module and turns it into CommonJS, vm runs it in strict mode. */
function load(code: string) {
  const cjs = transformSync(code, { loader: 'js', format: 'cjs', target: 'es2020' }).code;
  const evicted: Evicted[] = [];
  const errors: unknown[][] = [];
  class AppsyncError extends Error {}
  const utils = {
    util: {
      error: (...args: unknown[]) => {
        errors.push(args);
        throw new AppsyncError(String(args[0]));
      },
    },
    extensions: { evictFromApiCache: (typeName: string, fieldName: string, keys: Record<string, unknown>) => evicted.push({ typeName, fieldName, keys: { ...keys } }) },
  };
  const mod = { exports: {} as Record<string, (ctx: unknown) => unknown> };
  const require = (name: string) => {
    if (name !== '@aws-appsync/utils') throw new Error(`unexpected import ${name}`);
    return utils;
  };
  runInNewContext(`'use strict';\n${cjs}`, { module: mod, exports: mod.exports, require });
  return { fns: mod.exports, evicted, errors, AppsyncError };
}

describe('evicts', () => {
  const { tf } = synth(evictingModel());
  const resolvers = Object.values(resourcesOf(tf, 'aws_appsync_resolver')) as Json[];
  const byField = (type: string, field: string) => resolvers.find((r) => r.type === type && r.field === field)!;

  it('GIVEN a mutation with evicts THEN it is an APPSYNC_JS 1.0.0 UNIT resolver on the same Lambda data source; the others stay direct', () => {
    const update = byField('Mutation', 'updateProfile');
    expect(update.runtime).toEqual({ name: 'APPSYNC_JS', runtime_version: '1.0.0' });
    expect(update.kind).toBe('UNIT');
    expect(update.data_source).toMatch(/aws_appsync_datasource\.graphql-api_datasource_writer_[0-9A-F]{8}\.name/);
    expect(typeof update.code).toBe('string');
    const my = byField('Query', 'myProfile');
    expect(my.runtime).toBeUndefined();
    expect(my.code).toBeUndefined();
  });

  it('GIVEN the generated code WHEN its request runs THEN it invokes the handler with the direct Lambda event', () => {
    const { fns } = load(byField('Mutation', 'updateProfile').code);
    const ctx = { arguments: { input: { id: 'u-2' } }, identity: { sub: 'sub-1' }, source: null, request: { headers: {} }, info: { fieldName: 'updateProfile' }, prev: null, stash: {} };
    expect(fns.request(ctx)).toEqual({ operation: 'Invoke', payload: ctx });
  });

  it('GIVEN a successful mutation WHEN its response runs THEN it evicts each target with its key values in caching-key order and returns the result', () => {
    const { fns, evicted } = load(byField('Mutation', 'updateProfile').code);
    const result = { id: 'u-2', name: 'Ada' };
    const out = fns.response({ arguments: { input: { id: 'u-2' } }, identity: { sub: 'sub-1' }, result });
    expect(out).toBe(result);
    expect(evicted).toEqual([
      { typeName: 'Query', fieldName: 'myProfile', keys: { 'context.identity.sub': 'sub-1' } },
      { typeName: 'Query', fieldName: 'user', keys: { 'context.identity.sub': 'sub-1', 'context.arguments.userId': 'u-2' } },
    ]);
    expect(Object.keys(evicted[1].keys)).toEqual(['context.identity.sub', 'context.arguments.userId']);
  });

  it('GIVEN a failed mutation WHEN its response runs THEN it raises the error and evicts nothing', () => {
    const { fns, evicted, errors, AppsyncError } = load(byField('Mutation', 'updateProfile').code);
    expect(() => fns.response({ arguments: {}, identity: {}, error: { message: 'boom', type: 'Lambda:Unhandled' } })).toThrow(AppsyncError);
    expect(errors).toEqual([['boom', 'Lambda:Unhandled']]);
    expect(evicted).toEqual([]);
  });

  it('GIVEN a missing value on the path WHEN the response runs THEN the key is undefined rather than a crash', () => {
    const { fns, evicted } = load(byField('Mutation', 'updateProfile').code);
    fns.response({ arguments: {}, identity: null, result: null });
    expect(evicted[1].keys).toEqual({ 'context.identity.sub': undefined, 'context.arguments.userId': undefined });
  });

  it('GIVEN the same model twice THEN the code is byte-identical', () => {
    const m = evictingModel();
    const r = m.graphqlApi!.resolvers.find((x) => x.field === 'Mutation.updateProfile')!;
    expect(evictingResolverCode(r.field, evictionPlans(r, m.graphqlApi!.resolvers))).toBe(byField('Mutation', 'updateProfile').code);
    expect(synth(evictingModel()).text).toBe(synth(evictingModel()).text);
  });
});
