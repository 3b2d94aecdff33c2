/**
 * Rule 16 through the real loader: the resolved `invalidates` and `evicts`, and
 * the messages that name what exists. Line and column of each code are checked by
 * the fixtures in test/fixtures/rules/{invalidation,eviction}-*.
 */
import { MINIMAL, places, TempDir } from '../config/helpers';

const SDL = [
  'type Query { myProfile: String, user(userId: ID!): String }',
  'type Mutation { updateProfile(input: In!): String }',
  'input In { id: ID!, name: String }',
  '',
].join('\n');

let tmp: TempDir;
beforeEach(() => (tmp = new TempDir()));
afterEach(() => tmp.remove());

function load(yaml: string) {
  tmp.write('svc.yaml', yaml);
  tmp.write('s.graphql', SDL);
  return tmp.load(['svc.yaml']);
}

const REST = [
  'handlers:',
  '  api:',
  '    entry: ok.ts',
  '    invalidates: ["GET /users/{userId}"]',
  'restApi:',
  '  name: api',
  '  cache: {}',
  '  endpoints:',
  '    - { path: "/users/{userId}", method: GET, handler: api, auth: iam, cache: { keys: [path.userId], shared: true } }',
  '',
].join('\n');

const GQL = (evicts: string) =>
  [
    'handlers:',
    '  api:',
    '    entry: ok.ts',
    'graphqlApi:',
    '  name: api',
    '  schema: s.graphql',
    '  auth: iam',
    '  cache: {}',
    '  resolvers:',
    '    - { field: Query.myProfile, handler: api, cache: { keys: [$context.identity.userArn] } }',
    '    - { field: Query.user, handler: api, cache: { keys: [$context.identity.userArn, $context.arguments.userId] } }',
    '    - field: Mutation.updateProfile',
    '      handler: api',
    `      evicts: ${evicts}`,
    '',
  ].join('\n');

describe('rule 16: invalidation', () => {
  it('GIVEN invalidates on a cached endpoint THEN the model holds method and path and nothing is reported', () => {
    const r = load(MINIMAL + REST);
    expect(r.diagnostics).toEqual([]);
    expect(r.models[0].handlers[0].invalidates).toEqual([{ method: 'GET', path: '/users/{userId}' }]);
  });

  it('GIVEN a misspelt endpoint THEN the message lists the cached endpoints and suggests the closest', () => {
    const r = load(MINIMAL + REST.replace('"GET /users/{userId}"]', '"GET /user/{userId}"]'));
    expect(places(r)).toEqual(['invalidation-unknown-target 7:19']);
    expect(r.diagnostics[0].message).toContain('cached endpoints: `GET /users/{userId}`');
    expect(r.diagnostics[0].hint).toBe('did you mean `GET /users/{userId}`?');
  });

  it('GIVEN evicts with a key mapping THEN the model keeps the mapping and the split field', () => {
    const r = load(MINIMAL + GQL('[{ field: Query.myProfile }, { field: Query.user, keys: { $context.arguments.userId: $context.arguments.input.id } }]'));
    expect(r.diagnostics).toEqual([]);
    const evicts = r.models[0].graphqlApi!.resolvers.find((x) => x.field === 'Mutation.updateProfile')!.evicts;
    expect(evicts).toEqual([
      { field: 'Query.myProfile', typeName: 'Query', fieldName: 'myProfile', keys: {} },
      { field: 'Query.user', typeName: 'Query', fieldName: 'user', keys: { '$context.arguments.userId': '$context.arguments.input.id' } },
    ]);
  });

  it('GIVEN a target key the mutation cannot fill THEN it is an error naming the arguments there are', () => {
    const r = load(MINIMAL + GQL('[{ field: Query.user }]'));
    expect(places(r)).toEqual(['eviction-key-unresolved 17:25']);
    expect(r.diagnostics[0].message).toContain('has no argument `userId` (arguments: `input`)');
  });

  it('GIVEN a mapping into a field the input type lacks THEN it is an error naming its fields', () => {
    const r = load(MINIMAL + GQL('[{ field: Query.user, keys: { $context.arguments.userId: $context.arguments.input.userId } }]'));
    expect(places(r).map((p) => p.split(' ')[0])).toEqual(['eviction-key-unresolved']);
    expect(r.diagnostics[0].message).toContain('input `In` of `input` has no field `userId` (fields: `id`, `name`)');
  });
});
