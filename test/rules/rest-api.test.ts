import type { Endpoint, RestApi } from '../../src/config/model';
import { brief, endpoint, endpointCache, handler, model, run } from './helpers';

function api(endpoints: Endpoint[], over: Partial<RestApi> = {}): RestApi {
  return { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }, endpoints, ...over };
}

describe('rule duplicates (duplicate-endpoint)', () => {
  const cases = [
    {
      name: 'GIVEN the same method and path twice THEN the second is reported',
      endpoints: [endpoint('GET', '/a', 'api'), endpoint('POST', '/a', 'api'), endpoint('GET', '/a', 'api')],
      expected: ['duplicate-endpoint@restApi.endpoints[2]'],
    },
    {
      name: 'GIVEN paths that differ only in parameter names THEN they are the same resource',
      endpoints: [endpoint('GET', '/users/{id}', 'api'), endpoint('GET', '/users/{userId}', 'api')],
      expected: ['duplicate-endpoint@restApi.endpoints[1]'],
    },
    {
      name: 'GIVEN different methods and different resources THEN nothing is reported',
      endpoints: [endpoint('GET', '/a/{p}', 'api'), endpoint('PUT', '/a/{p}', 'api'), endpoint('GET', '/b/{p+}', 'api'), endpoint('GET', '/b', 'api')],
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ endpoints, expected }) => {
    expect(brief(run(model({ restApi: api(endpoints, { cache: undefined }) })))).toEqual(expected);
  });

  it('GIVEN a duplicate WHEN reported THEN related points at the first definition', () => {
    const [r] = run(model({ restApi: api([endpoint('GET', '/a', 'api'), endpoint('GET', '/a', 'api')]) }));
    expect(r.related).toEqual([{ path: ['restApi', 'endpoints', 0], message: 'first defined here as `GET /a`' }]);
    expect(r.message).toBe('endpoint `GET /a` is defined twice (endpoints[0] and endpoints[1]); each method and path may appear once');
  });
});

describe('rule rest-cache (cache-key-path-param, endpoint-cache-needs-stage-cache)', () => {
  const cases = [
    {
      name: 'GIVEN a path key that names no segment THEN the key is reported',
      rest: api([endpoint('GET', '/users/{userId}', 'api', { auth: 'none', cache: endpointCache({ keys: ['query.q', 'path.userid'] }) })]),
      expected: ['cache-key-path-param@restApi.endpoints[0].cache.keys[1]', 'cache-key-incomplete@restApi.endpoints[0].cache'],
    },
    {
      name: 'GIVEN a greedy parameter key THEN it is accepted',
      rest: api([endpoint('GET', '/files/{key+}', 'api', { auth: 'none', cache: endpointCache({ keys: ['path.key'] }) })]),
      expected: [],
    },
    {
      name: 'GIVEN a cached endpoint and no stage cache THEN the endpoint cache is reported',
      rest: api([endpoint('GET', '/a', 'api', { auth: 'none', cache: endpointCache() })], { cache: undefined }),
      expected: ['endpoint-cache-needs-stage-cache@restApi.endpoints[0].cache'],
    },
    {
      name: 'GIVEN no cached endpoint and no stage cache THEN nothing is reported',
      rest: api([endpoint('GET', '/a', 'api', { auth: 'none' })], { cache: undefined }),
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ rest, expected }) => {
    expect(brief(run(model({ restApi: rest })))).toEqual(expected);
  });

  it('GIVEN the model dropped the cache but the YAML wrote one WHEN there is no stage cache THEN it is still reported', () => {
    const m = model({ restApi: api([endpoint('GET', '/a', 'api', { auth: 'none' })], { cache: undefined }) });
    const raw = { version: 1, service: 'svc', region: 'us-east-1', restApi: { endpoints: [{ path: '/a', method: 'GET', handler: 'api', cache: { keys: [] } }] } };
    expect(brief(run(m, { raw }))).toEqual(['endpoint-cache-needs-stage-cache@restApi.endpoints[0].cache']);
  });

  it('GIVEN `ttlSeconds: 0` in the YAML and no stage cache THEN nothing is reported (caching is off)', () => {
    const m = model({ restApi: api([endpoint('GET', '/a', 'api', { auth: 'none' })], { cache: undefined }) });
    const raw = { restApi: { endpoints: [{ path: '/a', method: 'GET', handler: 'api', cache: { ttlSeconds: 0 } }] } };
    expect(run(m, { raw })).toEqual([]);
  });

  it('GIVEN a misspelt path key WHEN reported THEN the hint suggests the parameter', () => {
    const [r] = run(model({ restApi: api([endpoint('GET', '/users/{userId}', 'api', { auth: 'none', cache: endpointCache({ keys: ['path.userid'] }) })]) }));
    expect(r.message).toBe('cache key `path.userid` names no segment of path `/users/{userId}`; its path parameters are: `userId`');
    expect(r.hint).toBe('did you mean `path.userId`?');
  });
});

describe('rule concurrency (api-timeout-exceeds-gateway) needs an endpoint', () => {
  it('GIVEN a slow handler behind an endpoint THEN a warning names the endpoint', () => {
    const m = model({ handlers: [handler('api', { timeoutSeconds: 60 })], restApi: api([endpoint('GET', '/report', 'api', { auth: 'none' })], { cache: undefined }) });
    const [r] = run(m);
    expect(brief([r])).toEqual(['api-timeout-exceeds-gateway@handlers.api.timeoutSeconds']);
    expect(r.severity).toBe('warning');
    expect(r.message).toContain('serves `GET /report`');
  });
  it('GIVEN a slow handler that no endpoint uses THEN nothing is reported', () => {
    const m = model({ handlers: [handler('api'), handler('batch', { timeoutSeconds: 900 })], restApi: api([endpoint('GET', '/a', 'api', { auth: 'none' })], { cache: undefined }) });
    expect(run(m)).toEqual([]);
  });
  it('GIVEN exactly 29 seconds THEN nothing is reported', () => {
    const m = model({ handlers: [handler('api', { timeoutSeconds: 29 })], restApi: api([endpoint('GET', '/a', 'api', { auth: 'none' })], { cache: undefined }) });
    expect(run(m)).toEqual([]);
  });
});

describe('rule resource-paths (endpoint-path-conflict)', () => {
  const cases = [
    {
      name: 'GIVEN differently named parameters at the same place THEN the later path is reported',
      endpoints: [endpoint('GET', '/users/{id}', 'api'), endpoint('GET', '/users/{userId}/posts', 'api')],
      expected: ['endpoint-path-conflict@restApi.endpoints[1].path'],
    },
    {
      name: 'GIVEN a greedy and a plain parameter side by side THEN it is reported',
      endpoints: [endpoint('GET', '/files/{key}', 'api'), endpoint('PUT', '/files/{path+}', 'api')],
      expected: ['endpoint-path-conflict@restApi.endpoints[1].path'],
    },
    {
      name: 'GIVEN a greedy parameter before the last segment THEN it is reported',
      endpoints: [endpoint('GET', '/files/{key+}/meta', 'api')],
      expected: ['endpoint-path-conflict@restApi.endpoints[0].path'],
    },
    {
      name: 'GIVEN a parameter name used twice THEN it is reported',
      endpoints: [endpoint('GET', '/a/{id}/b/{id}', 'api')],
      expected: ['endpoint-path-conflict@restApi.endpoints[0].path'],
    },
    {
      name: 'GIVEN the same resource twice under other names THEN only duplicate-endpoint is reported',
      endpoints: [endpoint('GET', '/users/{id}', 'api'), endpoint('GET', '/users/{userId}', 'api')],
      expected: ['duplicate-endpoint@restApi.endpoints[1]'],
    },
    {
      name: 'GIVEN one parameter name per place, literals beside variables and a trailing greedy THEN nothing is reported',
      endpoints: [
        endpoint('GET', '/', 'api'),
        endpoint('GET', '/users/{id}', 'api'),
        endpoint('GET', '/users/{id}/posts/{postId}', 'api'),
        endpoint('GET', '/users/me', 'api'),
        endpoint('ANY', '/proxy/{path+}', 'api'),
        endpoint('GET', '/proxy/health', 'api'),
      ],
      expected: [],
    },
  ];
  it.each(cases)('$name', ({ endpoints, expected }) => {
    expect(brief(run(model({ restApi: api(endpoints, { cache: undefined }) })))).toEqual(expected);
  });

  it('GIVEN a sibling conflict WHEN reported THEN message, hint and related name the first path', () => {
    const [r] = run(model({ restApi: api([endpoint('GET', '/users/{id}', 'api'), endpoint('GET', '/users/{userId}/posts', 'api')], { cache: undefined }) }));
    expect(r.message).toBe(
      'path `/users/{userId}/posts` puts `{userId}` under `/users`, where `GET /users/{id}` (endpoints[0]) puts `{id}`; api gateway allows one variable segment at each place of the resource tree',
    );
    expect(r.hint).toBe('use `{id}` in both paths');
    expect(r.related).toEqual([{ path: ['restApi', 'endpoints', 0, 'path'], message: '`{id}` first used here' }]);
  });
});

describe('rule rest-cache (cache-unsafe-method)', () => {
  it.each(['POST', 'PUT', 'PATCH', 'DELETE', 'ANY'] as const)('GIVEN a cached %s endpoint THEN a warning points at the method', (method) => {
    const reports = run(model({ restApi: api([endpoint(method, '/a', 'api', { auth: 'none', cache: endpointCache() })]) }));
    expect(brief(reports)).toEqual(['cache-unsafe-method@restApi.endpoints[0].method']);
    expect(reports[0].severity).toBe('warning');
  });
  it.each(['GET', 'HEAD', 'OPTIONS'] as const)('GIVEN a cached %s endpoint THEN nothing is reported', (method) => {
    expect(run(model({ restApi: api([endpoint(method, '/a', 'api', { auth: 'none', cache: endpointCache() })]) }))).toEqual([]);
  });
  it('GIVEN an uncached POST endpoint THEN nothing is reported', () => {
    expect(run(model({ restApi: api([endpoint('POST', '/a', 'api', { auth: 'none' })]) }))).toEqual([]);
  });
});

describe('rule network (network-required) for private apis', () => {
  it('GIVEN a PRIVATE api without network THEN endpointType is reported', () => {
    expect(brief(run(model({ restApi: api([endpoint('GET', '/a', 'api')], { cache: undefined, endpointType: 'PRIVATE' }) })))).toEqual([
      'network-required@restApi.endpointType',
    ]);
  });
  it('GIVEN a REGIONAL api without network THEN nothing is reported', () => {
    expect(run(model({ restApi: api([endpoint('GET', '/a', 'api')], { cache: undefined }) }))).toEqual([]);
  });
});

describe('rule handler-names (reserved-handler-name)', () => {
  it('GIVEN a handler named warmer THEN it is reported', () => {
    const reports = run(model({ handlers: [handler('warmer')] }));
    expect(brief(reports)).toEqual(['reserved-handler-name@handlers.warmer']);
    expect(reports[0].hint).toBe('rename the handler, e.g. `warmer-fn`, and the references to it');
  });
  it('GIVEN a handler named cache-warmer THEN nothing is reported', () => {
    expect(run(model({ handlers: [handler('cache-warmer')] }))).toEqual([]);
  });
});
