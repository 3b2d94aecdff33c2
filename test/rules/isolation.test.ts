import type { Endpoint, ServiceModel } from '../../src/config/model';
import { brief, endpoint, endpointCache, graphqlApi, model, resolver, run } from './helpers';

const COGNITO = { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' };
const LAMBDA = { handler: 'api', identityHeader: 'X-Session', resultTtlSeconds: 300 };
const FILES = { '/svc/handlers/ok.ts': 'x', '/svc/schema.graphql': 'type Query { me: Int, user(id: ID!): Int }' };

function rest(e: Endpoint): Partial<ServiceModel> {
  return {
    auth: { cognito: COGNITO, lambda: LAMBDA },
    restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }, endpoints: [e] },
  };
}

describe('rule isolation (cache-isolation) on endpoints', () => {
  const cases = [
    { name: 'GIVEN cognito without a caller key THEN it is reported', e: endpoint('GET', '/p', 'api', { auth: 'cognito', cache: endpointCache({ keys: ['query.q'] }) }), bad: true },
    { name: 'GIVEN cognito keyed on header.Authorization THEN it passes', e: endpoint('GET', '/p', 'api', { auth: 'cognito', cache: endpointCache({ keys: ['header.Authorization'] }) }), bad: false },
    { name: 'GIVEN cognito keyed on header.authorization (other case) THEN it passes', e: endpoint('GET', '/p', 'api', { auth: 'cognito', cache: endpointCache({ keys: ['header.authorization'] }) }), bad: false },
    { name: 'GIVEN lambda keyed on Authorization while the authorizer reads X-Session THEN it is reported', e: endpoint('GET', '/p', 'api', { auth: 'lambda', cache: endpointCache({ keys: ['header.Authorization'] }) }), bad: true },
    { name: 'GIVEN lambda keyed on its identity header THEN it passes', e: endpoint('GET', '/p', 'api', { auth: 'lambda', cache: endpointCache({ keys: ['header.X-Session'] }) }), bad: false },
    { name: 'GIVEN iam without keys THEN it is reported', e: endpoint('GET', '/p', 'api', { auth: 'iam', cache: endpointCache() }), bad: true },
    { name: 'GIVEN iam with shared: true THEN it passes', e: endpoint('GET', '/p', 'api', { auth: 'iam', cache: endpointCache({ shared: true }) }), bad: false },
    { name: 'GIVEN auth: none without keys THEN it passes', e: endpoint('GET', '/p', 'api', { auth: 'none', cache: endpointCache() }), bad: false },
    { name: 'GIVEN cognito and no cache THEN it passes', e: endpoint('GET', '/p', 'api', { auth: 'cognito' }), bad: false },
  ];
  it.each(cases)('$name', ({ e, bad }) => {
    const reports = run(model(rest(e)));
    expect(brief(reports)).toEqual(bad ? ['cache-isolation@restApi.endpoints[0].cache'] : []);
  });

  it('GIVEN keys written in the YAML WHEN reported THEN it points at the keys', () => {
    const e = endpoint('GET', '/p', 'api', { auth: 'cognito', cache: endpointCache({ keys: ['query.q'] }) });
    const raw = { restApi: { endpoints: [{ path: '/p', method: 'GET', handler: 'api', auth: 'cognito', cache: { keys: ['query.q'] } }] } };
    const [r] = run(model(rest(e)), { raw });
    expect(brief([r])).toEqual(['cache-isolation@restApi.endpoints[0].cache.keys']);
    expect(r.message).toBe(
      "endpoint `GET /p` is cached under `auth: cognito` but no cache key identifies the caller (keys: `query.q`; cognito callers are identified by their token in `Authorization`); one caller's response would be served to another",
    );
    expect(r.hint).toBe('add `header.Authorization` to `keys`, or set `shared: true` if the response is the same for every caller');
  });

  it('GIVEN iam WHEN reported THEN the hint explains that sigv4 signatures rarely repeat', () => {
    const [r] = run(model(rest(endpoint('GET', '/p', 'api', { auth: 'iam', cache: endpointCache() }))));
    expect(r.hint).toContain('sigv4 signatures rarely repeat');
  });
});

describe('rule isolation (cache-isolation) on resolvers', () => {
  const cached = (keys: string[], shared = false) => ({ ttlSeconds: 60, keys, shared });
  const cases = [
    { name: 'GIVEN cognito and only an argument key THEN it is reported', auth: 'cognito' as const, keys: ['$context.arguments.id'], shared: false, bad: true },
    { name: 'GIVEN cognito and an identity key THEN it passes', auth: 'cognito' as const, keys: ['$context.identity.sub', '$context.arguments.id'], shared: false, bad: false },
    { name: 'GIVEN iam and no keys THEN it is reported', auth: 'iam' as const, keys: [], shared: false, bad: true },
    { name: 'GIVEN api-key and no keys THEN it passes (one key, no caller identity)', auth: 'api-key' as const, keys: [], shared: false, bad: false },
    { name: 'GIVEN lambda and shared: true THEN it passes', auth: 'lambda' as const, keys: [], shared: true, bad: false },
  ];
  it.each(cases)('$name', ({ auth, keys, shared, bad }) => {
    const m = model({
      auth: { cognito: COGNITO, lambda: LAMBDA, apiKey: { expires: '2030-01-01' } },
      graphqlApi: graphqlApi({
        auth,
        cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 60, encryption: { atRest: true, transit: true } },
        resolvers: [resolver('Query.me', 'api', cached(keys, shared))],
      }),
    });
    expect(brief(run(m, { files: FILES }))).toEqual(bad ? ['cache-isolation@graphqlApi.resolvers[0].cache'] : []);
  });

  it('GIVEN iam WHEN reported THEN the hint suggests $context.identity.userArn', () => {
    const m = model({
      graphqlApi: graphqlApi({
        auth: 'iam',
        cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 60, encryption: { atRest: true, transit: true } },
        resolvers: [resolver('Query.me', 'api', cached([]))],
      }),
    });
    const [r] = run(m, { files: FILES });
    expect(r.hint).toBe('add a `$context.identity.` key such as `$context.identity.userArn`, or set `shared: true` if the result is the same for every caller');
  });
});

describe('rule isolation (cache-isolation): the identity key must identify a caller of the auth mode', () => {
  const cases: { auth: 'cognito' | 'oidc' | 'iam' | 'lambda'; key: string; ok: boolean }[] = [
    { auth: 'cognito', key: '$context.identity.sub', ok: true },
    { auth: 'cognito', key: '$context.identity.username', ok: true },
    { auth: 'cognito', key: '$context.identity.claims.email', ok: true },
    { auth: 'cognito', key: '$context.identity.claims', ok: true },
    { auth: 'cognito', key: '$context.identity.claims.aud', ok: false },
    { auth: 'cognito', key: '$context.identity.sourceIp', ok: false },
    { auth: 'cognito', key: '$context.identity.groups', ok: false },
    { auth: 'cognito', key: '$context.identity.userArn', ok: false },
    { auth: 'oidc', key: '$context.identity.sub', ok: true },
    { auth: 'oidc', key: '$context.identity.username', ok: false },
    { auth: 'oidc', key: '$context.identity.issuer', ok: false },
    { auth: 'iam', key: '$context.identity.userArn', ok: true },
    { auth: 'iam', key: '$context.identity.cognitoIdentityId', ok: true },
    { auth: 'iam', key: '$context.identity.sub', ok: false },
    { auth: 'iam', key: '$context.identity.accountId', ok: false },
    { auth: 'lambda', key: '$context.identity.resolverContext.userId', ok: true },
    { auth: 'lambda', key: '$context.identity.resolverContext', ok: true },
    { auth: 'lambda', key: '$context.identity.sub', ok: false },
  ];
  it.each(cases)('GIVEN auth $auth keyed on $key THEN ok is $ok', ({ auth, key, ok }) => {
    const m = model({
      auth: { cognito: COGNITO, lambda: LAMBDA, oidc: { issuer: 'https://id.example.com', authTtlSeconds: 0 } },
      graphqlApi: graphqlApi({
        auth,
        cache: { behavior: 'per-resolver', type: 'SMALL', ttlSeconds: 60, encryption: { atRest: true, transit: true } },
        resolvers: [resolver('Query.me', 'api', { ttlSeconds: 60, keys: [key], shared: false })],
      }),
    });
    const reports = run(m, { files: FILES });
    expect(brief(reports)).toEqual(ok ? [] : ['cache-isolation@graphqlApi.resolvers[0].cache']);
    if (!ok) expect(reports[0].message).toContain(`its identity key \`${key}\` does not tell ${auth} callers apart`);
  });
});
