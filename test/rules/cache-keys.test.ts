import type { Endpoint, GraphqlApi, Resolver } from '../../src/config/model';
import { cacheKeysRule } from '../../src/config/rules/cache-keys';
import { brief, endpoint, endpointCache, graphqlApi, model, resolver, run } from './helpers';

const COGNITO = { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' };
const CACHE: NonNullable<GraphqlApi['cache']> = { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 60, encryption: { atRest: true, transit: true } };

const SDL = `
schema { query: Root mutation: Change }
type Root {
  user(userId: ID!): User
  users(limit: Int, nextToken: String): [User]
  search(input: SearchInput!): [User]
  filter(where: Filter): [User]
  byIds(ids: [ID!]!): [User]
  me: User
}
type Change { rename(userId: ID!, name: String!): User }
input SearchInput { term: String!, page: PageInput }
input PageInput { size: Int, after: String }
input Filter { name: String, not: Filter }
type User { uid: ID!, name: String, posts(first: Int): [Post] }
type Post { title: String }
`;

function rest(...endpoints: Endpoint[]) {
  return model({
    auth: { cognito: COGNITO },
    restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }, endpoints },
  });
}

function cached(field: string, keys: string[], shared = false): Resolver {
  return resolver(field, 'api', { ttlSeconds: 60, keys, shared });
}

/** Only the cache-keys rule, on a cognito API with per-resolver caching and the schema above. */
function gql(resolvers: Resolver[], sdl = SDL) {
  const m = model({ auth: { cognito: COGNITO }, graphqlApi: graphqlApi({ auth: 'cognito', cache: CACHE, resolvers }) });
  return run(m, { rule: cacheKeysRule, files: { '/svc/handlers/ok.ts': 'x', '/svc/schema.graphql': sdl } });
}

describe('rule cache-keys (cache-key-incomplete) on endpoints', () => {
  it('GIVEN the issue\'s `GET /users/{userId}/card` cached shared with no keys THEN it is an error naming `path.userId`', () => {
    const reports = run(rest(endpoint('GET', '/users/{userId}/card', 'api', { auth: 'cognito', cache: endpointCache({ shared: true }) })));
    expect(brief(reports)).toEqual(['cache-key-incomplete@restApi.endpoints[0].cache']);
    expect(reports[0].severity).toBe('error');
    expect(reports[0].message).toBe(
      'endpoint `GET /users/{userId}/card` is cached, but path parameter `userId` is not a cache key (no keys); the response for one `userId` would be served for every other',
    );
    expect(reports[0].hint).toBe('add `path.userId` to `keys`; `shared: true` only says the response is the same for every caller, not for every `userId`');
  });

  it('GIVEN a greedy `{proxy+}` and two unkeyed parameters THEN the hint names every missing key', () => {
    const [r, ...rest_] = run(rest(endpoint('GET', '/t/{tenant}/{region}/{proxy+}', 'api', { auth: 'none', cache: endpointCache({ keys: ['path.region'] }) })));
    expect(rest_).toEqual([]);
    expect(r.message).toContain('path parameters `tenant`, `proxy` are not cache keys (keys: `path.region`)');
    expect(r.message).toContain('a greedy `{proxy+}` matches the whole rest of the path');
    expect(r.hint).toBe('add `path.tenant`, `path.proxy` to `keys`');
  });

  it('GIVEN the keys written in the YAML THEN it points at `keys`', () => {
    const e = endpoint('GET', '/u/{id}', 'api', { auth: 'none', cache: endpointCache({ keys: ['query.q'] }) });
    const raw = { restApi: { endpoints: [{ path: '/u/{id}', method: 'GET', handler: 'api', cache: { keys: ['query.q'] } }] } };
    expect(brief(run(rest(e), { raw, rule: cacheKeysRule }))).toEqual(['cache-key-incomplete@restApi.endpoints[0].cache.keys']);
  });

  const passing = [
    { name: 'every parameter keyed', e: endpoint('GET', '/u/{id}/{proxy+}', 'api', { auth: 'none', cache: endpointCache({ keys: ['path.proxy', 'path.id'] }) }) },
    { name: 'a parameter but no cache', e: endpoint('GET', '/u/{id}', 'api', { auth: 'none' }) },
    { name: 'no parameter', e: endpoint('GET', '/u', 'api', { auth: 'none', cache: endpointCache() }) },
  ];
  it.each(passing)('GIVEN $name THEN nothing is reported', ({ e }) => {
    expect(run(rest(e), { rule: cacheKeysRule })).toEqual([]);
  });

  it('GIVEN the model dropped the cache but the YAML wrote one (ttlSeconds 0 excluded) THEN the written cache is checked', () => {
    const e = endpoint('GET', '/u/{id}', 'api', { auth: 'none' });
    const written = (cache: unknown) => ({ restApi: { endpoints: [{ path: '/u/{id}', method: 'GET', handler: 'api', cache }] } });
    expect(brief(run(rest(e), { raw: written({ keys: [] }), rule: cacheKeysRule }))).toEqual(['cache-key-incomplete@restApi.endpoints[0].cache.keys']);
    expect(run(rest(e), { raw: written({ ttlSeconds: 0 }), rule: cacheKeysRule })).toEqual([]);
  });
});

describe('rule cache-keys (cache-key-incomplete) on resolvers', () => {
  it('GIVEN the issue\'s `Query.user(userId)` keyed only on the caller THEN it is an error naming `$context.arguments.userId`', () => {
    const [r, ...others] = gql([cached('Root.user', ['$context.identity.sub'])]);
    expect(others).toEqual([]);
    expect(brief([r])).toEqual(['cache-key-incomplete@graphqlApi.resolvers[0].cache']);
    expect(r.message).toBe(
      'resolver `Root.user` is cached, but its cache key does not cover argument `userId` (keys: `$context.identity.sub`); the result for one `userId` would be served for every other',
    );
    expect(r.hint).toBe('add `$context.arguments.userId` to `keys`');
  });

  const cases: { name: string; field: string; keys: string[]; missing?: string[] }[] = [
    { name: 'an optional argument left out', field: 'Root.users', keys: ['$context.arguments.limit'], missing: ['nextToken'] },
    { name: 'both optional arguments keyed', field: 'Root.users', keys: ['$context.arguments.nextToken', '$context.arguments.limit'] },
    { name: 'an input object keyed whole', field: 'Root.search', keys: ['$context.arguments.input'] },
    { name: 'an input object keyed on one field', field: 'Root.search', keys: ['$context.arguments.input.term'], missing: ['input.page'] },
    { name: 'an input object keyed on a nested field', field: 'Root.search', keys: ['$context.arguments.input.term', '$context.arguments.input.page.size'], missing: ['input.page.after'] },
    { name: 'an input object keyed on every leaf', field: 'Root.search', keys: ['$context.arguments.input.term', '$context.arguments.input.page.size', '$context.arguments.input.page.after'] },
    { name: 'a recursive input keyed on its fields', field: 'Root.filter', keys: ['$context.arguments.where.name', '$context.arguments.where.not.name'], missing: ['where.not'] },
    { name: 'a recursive input keyed whole', field: 'Root.filter', keys: ['$context.arguments.where'] },
    { name: 'a list keyed on an item field', field: 'Root.byIds', keys: ['$context.arguments.ids.id'], missing: ['ids'] },
    { name: 'a field without arguments', field: 'Root.me', keys: [] },
    { name: 'a cached mutation', field: 'Change.rename', keys: ['$context.arguments.userId'], missing: ['name'] },
  ];
  it.each(cases)('GIVEN $name THEN missing is $missing', ({ field, keys, missing }) => {
    const reports = gql([cached(field, ['$context.identity.sub', ...keys])]);
    expect(reports.map((r) => r.hint?.match(/^add (.*?) to `keys`/)?.[1])).toEqual(missing ? [missing.map((m) => `\`$context.arguments.${m}\``).join(', ')] : []);
  });

  it('GIVEN a key on an item of a list THEN the hint says a list is keyed whole', () => {
    const [r] = gql([cached('Root.byIds', ['$context.identity.sub', '$context.arguments.ids.id'])]);
    expect(r.hint).toContain('keys inside `ids` cannot cover it: a list, a scalar, or an input type that contains itself is keyed whole');
  });

  it('GIVEN a misspelt argument key THEN the hint says it names no argument and suggests the argument', () => {
    const [r] = gql([cached('Root.user', ['$context.identity.sub', '$context.arguments.userID'])]);
    expect(r.hint).toBe('add `$context.arguments.userId` to `keys`; `$context.arguments.userID` names no argument of `Root.user` (did you mean `userId`?)');
  });

  it('GIVEN `shared: true` THEN it is still an error', () => {
    const reports = gql([cached('Root.user', [], true)]);
    expect(brief(reports)).toEqual(['cache-key-incomplete@graphqlApi.resolvers[0].cache']);
    expect(reports[0].hint).toContain('`shared: true` only says the response is the same for every caller');
  });

  it('GIVEN an uncached resolver, a schema that does not parse, or a field it lacks THEN nothing is reported here', () => {
    expect(gql([resolver('Root.user', 'api')])).toEqual([]);
    expect(gql([cached('Root.user', [])], 'type Root {')).toEqual([]);
    expect(gql([cached('Root.nope', [])])).toEqual([]);
  });
});

describe('rule cache-keys (cache-key-missing-source)', () => {
  it('GIVEN `User.posts` cached on identity and arguments only THEN it is an error suggesting the parent id', () => {
    const [r, ...others] = gql([cached('User.posts', ['$context.identity.sub', '$context.arguments.first'])]);
    expect(others).toEqual([]);
    expect(brief([r])).toEqual(['cache-key-missing-source@graphqlApi.resolvers[0].cache']);
    expect(r.severity).toBe('error');
    expect(r.message).toBe(
      "resolver `User.posts` is cached, but no cache key comes from `$context.source` (keys: `$context.identity.sub`, `$context.arguments.first`); `posts` resolves once per parent `User`, so one parent's result would be served for every other",
    );
    expect(r.hint).toBe('add a key that identifies the parent `User`, such as `$context.source.uid`');
  });

  it('GIVEN a source key THEN it passes; GIVEN a root field (custom root names) THEN no source key is needed', () => {
    expect(gql([cached('User.posts', ['$context.identity.sub', '$context.source.uid', '$context.arguments.first'])])).toEqual([]);
    expect(gql([cached('Root.me', ['$context.identity.sub'])])).toEqual([]);
  });

  it('GIVEN `shared: true` and no keys on a type field THEN both the source and nothing else are reported', () => {
    expect(brief(gql([cached('User.name', [], true)]))).toEqual(['cache-key-missing-source@graphqlApi.resolvers[0].cache']);
  });
});
