import { APPSYNC_LEGACY_CACHE_TYPES } from '../../src/config/schema';
import { analyzeSdl } from '../../src/config/sdl-analysis';
import { LEGACY_CACHE_TYPE_REPLACEMENT } from '../../src/config/rules/appsync-cache';
import type { GraphqlApi } from '../../src/config/model';
import { brief, graphqlApi, model, resolver, run } from './helpers';

const APPSYNC_SDL = `
schema { query: Query mutation: Mutation subscription: Subscription }
type Query @aws_cognito_user_pools @aws_iam {
  me: User @aws_cognito_user_pools(cognito_groups: ["users"])
  user(id: ID!): User @aws_api_key @aws_oidc @aws_lambda
}
type Mutation { touch(id: ID!): User @aws_auth(cognito_groups: ["admins"]) }
type Subscription { touched: User @aws_subscribe(mutations: ["touch"]) }
type User {
  id: ID!
  email: AWSEmail
  at: AWSDateTime
  day: AWSDate
  time: AWSTime
  ts: AWSTimestamp
  data: AWSJSON
  site: AWSURL
  phone: AWSPhone
  ip: AWSIPAddress
}
`;

const CACHE: NonNullable<GraphqlApi['cache']> = { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 60, encryption: { atRest: true, transit: true } };

function withSchema(sdl: string | undefined, over: Partial<GraphqlApi> = {}) {
  const files: Record<string, string> = { '/svc/handlers/ok.ts': 'x' };
  if (sdl !== undefined) files['/svc/schema.graphql'] = sdl;
  return run(model({ graphqlApi: graphqlApi(over) }), { files });
}

describe('analyzeSdl (AppSync SDL)', () => {
  it('GIVEN AWS scalars and directives WHEN analysed THEN the schema is valid', () => {
    expect(analyzeSdl(APPSYNC_SDL).ok).toBe(true);
  });
  it('GIVEN a schema that declares an AWS scalar itself WHEN analysed THEN the declaration does not clash', () => {
    expect(analyzeSdl('scalar AWSDateTime\ndirective @aws_iam on OBJECT | FIELD_DEFINITION\ntype Query { at: AWSDateTime @aws_iam }').ok).toBe(true);
  });
  it('GIVEN a syntax error WHEN analysed THEN the offset is the unexpected token', () => {
    const text = 'type Query {\n  a: Int\n  b(\n}';
    const r = analyzeSdl(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ kind: 'syntax', message: 'expected Name, found "}"', start: text.indexOf('}'), end: text.indexOf('}') + 1 }]);
  });
  it('GIVEN an unknown type WHEN analysed THEN the offset is the type name and the hint comes from graphql-js', () => {
    const text = 'type Query { me: Usr }\ntype User { id: ID }';
    const r = analyzeSdl(text);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems).toEqual([{ kind: 'invalid', message: 'unknown type "Usr"', hint: 'did you mean "User"?', start: 17, end: 20 }]);
  });
  it('GIVEN a duplicate type WHEN analysed THEN the second definition is the location', () => {
    const text = 'type Query { a: Int }\ntype Query { b: Int }';
    const r = analyzeSdl(text);
    if (r.ok) throw new Error('expected problems');
    expect(r.problems[0].start).toBe(text.lastIndexOf('Query'));
  });
  it('GIVEN a valid schema WHEN analysed THEN the summary has each type\'s kind, its fields with type references and arguments, and the root types', () => {
    const r = analyzeSdl('schema { query: Q mutation: M }\ntype Q { a(ids: [ID!]!, f: F): [A] }\ntype M { b: Int }\ntype A { id: ID! }\ninput F { x: String, y: F }\nenum E { ONE }');
    if (!r.ok) throw new Error('expected a schema');
    const byName = new Map(r.summary.types.map((t) => [t.name, t]));
    expect(byName.get('Q')).toEqual({ name: 'Q', kind: 'object', fields: [{ name: 'a', type: '[A]', args: [{ name: 'ids', type: '[ID!]!' }, { name: 'f', type: 'F' }] }] });
    expect(byName.get('A')).toEqual({ name: 'A', kind: 'object', fields: [{ name: 'id', type: 'ID!' }] });
    expect(byName.get('F')).toEqual({ name: 'F', kind: 'input', fields: [{ name: 'x', type: 'String' }, { name: 'y', type: 'F' }] });
    expect(byName.get('E')).toEqual({ name: 'E', kind: 'other' });
    expect(byName.get('AWSDateTime')).toEqual({ name: 'AWSDateTime', kind: 'other' });
    expect(byName.get('__Type')?.kind).toBe('object');
    expect([r.summary.query, r.summary.mutation, r.summary.subscription]).toEqual(['Q', 'M', undefined]);
    // Plain data: what is cached on disk is the same after a JSON round trip.
    expect(JSON.parse(JSON.stringify(r))).toStrictEqual(r);
  });
  it('GIVEN no Query type WHEN analysed THEN the problem has no location', () => {
    const r = analyzeSdl('type Mutation { a: Int }');
    if (r.ok) throw new Error('expected problems');
    expect(r.problems).toEqual([{ kind: 'invalid', message: 'query root type must be provided', hint: undefined }]);
  });
});

describe('rule graphql-schema', () => {
  it('GIVEN no schema file THEN graphql-schema-missing points at graphqlApi.schema', () => {
    const reports = withSchema(undefined);
    expect(brief(reports)).toEqual(['graphql-schema-missing@graphqlApi.schema']);
    expect(reports[0].message).toBe('graphql schema file `schema.graphql` cannot be read (looked at `schema.graphql`)');
  });
  it('GIVEN a syntax error THEN the report carries a location in the .graphql file', () => {
    const text = 'type Query {\n  a: Int\n  b(\n}';
    const [r] = withSchema(text);
    expect(brief([r])).toEqual(['graphql-schema-syntax@graphqlApi.schema']);
    expect(r.location).toEqual({ file: 'schema.graphql', start: text.indexOf('}'), end: text.indexOf('}') + 1 });
    expect(r.message).toBe('graphql schema `schema.graphql` does not parse: expected Name, found "}"');
  });
  it('GIVEN an invalid schema THEN resolver fields are not checked on top', () => {
    const reports = withSchema('type Query { a: Nope }', { resolvers: [resolver('Query.b', 'api')] });
    expect(brief(reports)).toEqual(['graphql-schema-syntax@graphqlApi.schema']);
  });
  const fieldCases = [
    { name: 'GIVEN a field that exists THEN it passes', field: 'Query.me', expected: [] as string[] },
    { name: 'GIVEN a nested object field THEN it passes', field: 'User.email', expected: [] },
    { name: 'GIVEN a missing field THEN it is reported', field: 'Query.mee', expected: ['resolver-field-not-in-schema@graphqlApi.resolvers[0].field'] },
    { name: 'GIVEN a missing type THEN it is reported', field: 'Querry.me', expected: ['resolver-field-not-in-schema@graphqlApi.resolvers[0].field'] },
    { name: 'GIVEN a scalar type THEN it is reported', field: 'AWSJSON.x', expected: ['resolver-field-not-in-schema@graphqlApi.resolvers[0].field'] },
  ];
  it.each(fieldCases)('$name', ({ field, expected }) => {
    expect(brief(withSchema(APPSYNC_SDL, { resolvers: [resolver(field, 'api')] }))).toEqual(expected);
  });
  it('GIVEN a misspelt field WHEN reported THEN the hint names the closest field and the message lists the fields', () => {
    const [r] = withSchema(APPSYNC_SDL, { resolvers: [resolver('Query.usr', 'api')] });
    expect(r.message).toBe('resolver field `Query.usr`: type `Query` has no field `usr` in `schema.graphql`; its fields: `me`, `user`');
    expect(r.hint).toBe('did you mean `Query.user`?');
  });
  it('GIVEN a misspelt type WHEN reported THEN the hint keeps the field', () => {
    const [r] = withSchema(APPSYNC_SDL, { resolvers: [resolver('Querry.me', 'api')] });
    expect(r.hint).toBe('did you mean `Query.me`?');
  });
});

describe('rule appsync-cache', () => {
  const cases = [
    { name: 'GIVEN a cached resolver under full-request caching THEN it is reported', cache: { ...CACHE, behavior: 'full-request' as const }, expected: ['resolver-cache-needs-per-resolver@graphqlApi.resolvers[0].cache'] },
    { name: 'GIVEN a cached resolver and no api cache THEN it is reported', cache: undefined, expected: ['resolver-cache-needs-per-resolver@graphqlApi.resolvers[0].cache'] },
    { name: 'GIVEN a cached resolver under per-resolver caching THEN it passes', cache: CACHE, expected: [] },
  ];
  it.each(cases)('$name', ({ cache, expected }) => {
    const reports = withSchema(APPSYNC_SDL, { cache, resolvers: [resolver('Query.me', 'api', { ttlSeconds: 60, keys: [], shared: true })] });
    expect(brief(reports)).toEqual(expected);
  });
  it('GIVEN a resolver cache the model dropped but the YAML wrote WHEN no api cache THEN it is reported', () => {
    const m = model({ graphqlApi: graphqlApi({ resolvers: [resolver('Query.me', 'api')] }) });
    const raw = { graphqlApi: { resolvers: [{ field: 'Query.me', handler: 'api', cache: { ttlSeconds: 60, shared: true } }] } };
    expect(brief(run(m, { raw, files: { '/svc/handlers/ok.ts': 'x', '/svc/schema.graphql': APPSYNC_SDL } }))).toEqual([
      'resolver-cache-needs-per-resolver@graphqlApi.resolvers[0].cache',
    ]);
  });
  it.each([...APPSYNC_LEGACY_CACHE_TYPES])('GIVEN legacy type %s THEN a warning names its replacement', (type) => {
    const reports = withSchema(APPSYNC_SDL, { cache: { ...CACHE, type } });
    expect(brief(reports)).toEqual(['appsync-legacy-cache-type@graphqlApi.cache.type']);
    expect(reports[0].severity).toBe('warning');
    expect(reports[0].hint).toContain(`\`type: ${LEGACY_CACHE_TYPE_REPLACEMENT[type]}\``);
  });
  it('GIVEN a current type THEN nothing is reported', () => {
    expect(withSchema(APPSYNC_SDL, { cache: { ...CACHE, type: 'LARGE_12X' } })).toEqual([]);
  });
});

describe('rule appsync-cache (resolver-cache-mutation)', () => {
  const SDL = 'schema { query: Q mutation: Change }\ntype Q { me: Int }\ntype Change { touch(id: ID!): Int }\ntype Mutation { fake: Int }';
  const cachedResolver = (field: string) => resolver(field, 'api', { ttlSeconds: 60, keys: ['$context.identity.sub', '$context.arguments.id'], shared: false });

  it('GIVEN a cached field of the schema\'s mutation type (named in `schema {}`) THEN it is a warning on the cache', () => {
    const reports = withSchema(SDL, { cache: CACHE, resolvers: [cachedResolver('Change.touch')] }).filter((r) => r.code === 'resolver-cache-mutation');
    expect(brief(reports)).toEqual(['resolver-cache-mutation@graphqlApi.resolvers[0].cache']);
    expect(reports[0].severity).toBe('warning');
  });

  it('GIVEN a type merely named `Mutation` that is not the mutation root, or an uncached mutation THEN nothing is reported', () => {
    const fake = withSchema(SDL, { cache: CACHE, resolvers: [cachedResolver('Mutation.fake')] });
    expect(fake.filter((r) => r.code === 'resolver-cache-mutation')).toEqual([]);
    const uncached = withSchema(SDL, { cache: CACHE, resolvers: [resolver('Change.touch', 'api')] });
    expect(uncached.filter((r) => r.code === 'resolver-cache-mutation')).toEqual([]);
  });
});
