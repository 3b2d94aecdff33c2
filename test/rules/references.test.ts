import { brief, dax, endpoint, graphqlApi, handler, model, NETWORK, redis, resolver, run } from './helpers';

const COGNITO = { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' };
const SDL = { '/svc/handlers/ok.ts': 'x', '/svc/schema.graphql': 'type Query { me: Int }' };

describe('rule references (unresolved-reference)', () => {
  const cases = [
    {
      name: 'GIVEN an endpoint naming a missing handler THEN it points at endpoints[0].handler',
      m: model({ restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, endpoints: [endpoint('GET', '/x', 'profle')] }, handlers: [handler('profile')] }),
      expected: ['unresolved-reference@restApi.endpoints[0].handler'],
    },
    {
      name: 'GIVEN a resolver naming a missing handler THEN it points at resolvers[0].handler',
      m: model({ graphqlApi: graphqlApi({ resolvers: [resolver('Query.me', 'nope')] }) }),
      expected: ['unresolved-reference@graphqlApi.resolvers[0].handler'],
    },
    {
      name: 'GIVEN auth.lambda naming a missing handler THEN it points at auth.lambda.handler',
      m: model({ auth: { lambda: { handler: 'authz', identityHeader: 'Authorization', resultTtlSeconds: 300 } } }),
      expected: ['unresolved-reference@auth.lambda.handler'],
    },
    {
      name: 'GIVEN connections naming a missing redis cache and dax cluster THEN both are reported',
      m: model({
        network: NETWORK,
        redis: [redis('sessions')],
        dax: [dax('hot')],
        handlers: [
          handler('api', {
            connections: {
              ...handler('x').connections,
              redis: { cache: 'session', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 },
              dax: { cluster: 'cold', requestTimeoutMs: 1000 },
            },
          }),
        ],
      }),
      expected: ['unresolved-reference@handlers.api.connections.redis.cache', 'unresolved-reference@handlers.api.connections.dax.cluster'],
    },
    {
      name: 'GIVEN an endpoint with auth: cognito and no auth.cognito THEN auth is reported',
      m: model({ restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, endpoints: [endpoint('GET', '/x', 'api', { auth: 'cognito' })] } }),
      expected: ['unresolved-reference@restApi.endpoints[0].auth'],
    },
    {
      name: 'GIVEN a graphql api with auth: oidc and no auth.oidc THEN graphqlApi.auth is reported',
      m: model({ graphqlApi: graphqlApi({ auth: 'oidc' }) }),
      expected: ['unresolved-reference@graphqlApi.auth'],
    },
    {
      name: 'GIVEN a graphql api with auth: api-key and no auth.apiKey THEN graphqlApi.auth is reported',
      m: model({ graphqlApi: graphqlApi({ auth: 'api-key' }) }),
      expected: ['unresolved-reference@graphqlApi.auth'],
    },
    {
      name: 'GIVEN every reference defined THEN nothing is reported',
      m: model({
        auth: { cognito: COGNITO, lambda: { handler: 'api', identityHeader: 'Authorization', resultTtlSeconds: 300 } },
        restApi: {
          name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false,
          endpoints: [endpoint('GET', '/x', 'api', { auth: 'cognito' }), endpoint('GET', '/y', 'api', { auth: 'lambda' })],
        },
        graphqlApi: graphqlApi({ auth: 'cognito', resolvers: [resolver('Query.me', 'api')] }),
      }),
      expected: [],
    },
  ];

  it.each(cases)('$name', ({ m, expected }) => {
    expect(brief(run(m, { files: SDL }))).toEqual(expected);
  });

  it('GIVEN a misspelt handler WHEN reported THEN the message lists the handlers and the hint suggests the closest', () => {
    const m = model({
      handlers: [handler('profile'), handler('users')],
      restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, endpoints: [endpoint('GET', '/x', 'profle')] },
    });
    const [r] = run(m);
    expect(r.message).toBe('endpoint `GET /x` names handler `profle`, which is not defined in `handlers`; defined handlers: `profile`, `users`');
    expect(r.hint).toBe('did you mean `profile`?');
    expect(r.severity).toBe('error');
  });

  it('GIVEN no redis caches at all WHEN a connection names one THEN the message says none are defined', () => {
    const m = model({
      handlers: [handler('api', { connections: { ...handler('x').connections, redis: { cache: 'sessions', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 } } })],
    });
    const [r] = run(m);
    expect(r.message).toContain('no redis caches are defined in `redis`');
    expect(r.hint).toBe('define `redis.sessions`');
  });

  it('GIVEN auth: lambda without auth.lambda WHEN reported THEN the hint lists the modes that would work', () => {
    const m = model({
      auth: { cognito: COGNITO },
      restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, endpoints: [endpoint('GET', '/x', 'api', { auth: 'lambda' })] },
    });
    const [r] = run(m);
    expect(r.message).toBe('endpoint `GET /x` uses `auth: lambda` (the default, derived from `auth`) but `auth.lambda` is not defined; defined providers: `cognito`');
    expect(r.hint).toBe('define `auth.lambda: { handler: ... }`, or use one of: none, iam, cognito');
  });
});
