import type { Endpoint } from '../../src/config/model';
import { cacheNamespaceRule } from '../../src/config/rules/cache-namespace';
import { brief, endpoint, endpointCache, model, run } from './helpers';

const COGNITO = { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' };

function check(...endpoints: Endpoint[]) {
  const m = model({
    auth: { cognito: COGNITO },
    restApi: { name: 'a', stage: 'v1', endpointType: 'REGIONAL', logRetentionDays: 30, accountLogsRole: false, cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 }, endpoints },
  });
  return run(m, { rule: cacheNamespaceRule });
}

const get = (path: string, keys: string[], over: Partial<Endpoint> & { namespace?: string } = {}) => {
  const { namespace, ...rest } = over;
  return endpoint('GET', path, 'api', { auth: 'cognito', cache: endpointCache({ keys, namespace }), ...rest });
};

describe('rule cache-namespace (cache-namespace-conflict)', () => {
  it('GIVEN two paths in one namespace with different key sets THEN the second is reported, related to the first', () => {
    const [r, ...others] = check(get('/users/{id}', ['path.id', 'header.Authorization'], { namespace: 'people' }), get('/people/{id}', ['path.id', 'header.Authorization', 'query.lang'], { namespace: 'people' }));
    expect(others).toEqual([]);
    expect(brief([r])).toEqual(['cache-namespace-conflict@restApi.endpoints[1].cache']);
    expect(r.severity).toBe('error');
    expect(r.message).toBe(
      "endpoint `GET /people/{id}` shares cache namespace `people` with `GET /users/{id}` but differs from it (keys: `path.id`, `header.Authorization`, `query.lang` vs keys: `path.id`, `header.Authorization`); one would answer from the other's cached entries",
    );
    expect(r.related).toEqual([{ path: ['restApi', 'endpoints', 0, 'cache'], message: '`GET /users/{id}` is cached in the same namespace here' }]);
  });

  it('GIVEN the same keys in another order and header case THEN sharing a namespace passes', () => {
    expect(check(get('/users/{id}', ['path.id', 'header.Authorization'], { namespace: 'people' }), get('/people/{id}', ['header.authorization', 'path.id'], { namespace: 'people' }))).toEqual([]);
  });

  it('GIVEN the same namespace and keys but `auth: none` next to cognito THEN it is reported', () => {
    const [r] = check(get('/c/{code}', ['path.code'], { namespace: 'c', auth: 'none' }), get('/admin/c/{code}', ['path.code'], { namespace: 'c' }));
    expect(r.message).toContain('(`auth: cognito` vs `auth: none`)');
  });

  it('GIVEN two paths in one namespace with the same keys but different handlers THEN it is reported', () => {
    const [r, ...others] = check(get('/users/{id}', ['path.id', 'header.Authorization'], { namespace: 'n' }), get('/orders/{id}', ['path.id', 'header.Authorization'], { namespace: 'n', handler: 'orders' }));
    expect(others).toEqual([]);
    expect(r.message).toContain('(handler `orders` vs `api`)');
  });

  it('GIVEN GET and HEAD of one path both cached (the default namespace) THEN it is reported with a hint to split them', () => {
    const head = endpoint('HEAD', '/catalog', 'api', { auth: 'none', cache: endpointCache() });
    const [r] = check(get('/catalog', [], { auth: 'none' }), head);
    expect(r.message).toContain('shares the cache namespace of path `/catalog` (its resource\'s id, the default) with `GET /catalog` but differs from it (method HEAD vs GET)');
    expect(r.hint).toBe('give `HEAD /catalog` its own `namespace` (or cache only one method of `/catalog`)');
  });

  it('GIVEN GET and HEAD of one path with HEAD in its own namespace, or HEAD uncached THEN nothing is reported', () => {
    const head = (cache: Endpoint['cache']) => endpoint('HEAD', '/catalog', 'api', { auth: 'none', cache });
    expect(check(get('/catalog', [], { auth: 'none' }), head(endpointCache({ namespace: 'catalog-head' })))).toEqual([]);
    expect(check(get('/catalog', [], { auth: 'none' }), head(undefined))).toEqual([]);
  });

  it('GIVEN three endpoints in one namespace THEN each that differs from the first is reported once', () => {
    const reports = check(get('/a/{id}', ['path.id'], { namespace: 'n', auth: 'none' }), get('/b/{id}', ['path.id'], { namespace: 'n', auth: 'none' }), get('/c/{id}', ['path.id', 'query.x'], { namespace: 'n', auth: 'none' }));
    expect(brief(reports)).toEqual(['cache-namespace-conflict@restApi.endpoints[2].cache']);
  });
});
