import { CacheKeyError, keyBuilder, keyBuilders, patternParams, unknownKeyMessage } from '../../handlers/runtime/keys';
import { authTokenFromSecret } from '../../handlers/runtime/secrets';

describe('key builders from key patterns', () => {
  const rate = keyBuilder({ name: 'rateLimit', pattern: 'rate_limit:{ip}:{endpoint}', ttlSeconds: 3600 });

  it('GIVEN a pattern WHEN built positionally or by name THEN the key fills the parameters in order and carries the TTL', () => {
    expect(rate('10.0.0.1', '/login')).toEqual({ key: 'rate_limit:10.0.0.1:/login', ttlSeconds: 3600, name: 'rateLimit' });
    expect(rate({ endpoint: '/login', ip: '10.0.0.1' }).key).toBe('rate_limit:10.0.0.1:/login');
    expect(rate.params).toEqual(['ip', 'endpoint']);
    expect(rate.pattern).toBe('rate_limit:{ip}:{endpoint}');
  });

  it('GIVEN values with separators or spaces WHEN built THEN they are percent-encoded so they cannot forge another key', () => {
    const profile = keyBuilder({ name: 'userProfile', pattern: 'user:profile:{userId}', ttlSeconds: 300 });
    expect(profile('1:x').key).toBe('user:profile:1%3Ax');
    expect(profile('a b{c}%').key).toBe('user:profile:a%20b%7Bc%7D%25');
    expect(profile('ada@example.com').key).toBe('user:profile:ada@example.com');
    expect(profile(42).key).toBe('user:profile:42');
  });

  it.each([
    [[], /takes 2 value\(s\) \(ip, endpoint\), got 0/],
    [['1.2.3.4', ''], /`endpoint` must be a non-empty string or a finite number, got ""/],
    [[{ ip: '1' }], /`endpoint` must be a non-empty string/],
    [[{ ip: '1', endpoint: '/', port: 1 }], /has no parameter `port`; its parameters are `ip`, `endpoint`/],
    [['1', NaN], /must be a non-empty string or a finite number/],
  ])('GIVEN the values %j WHEN built THEN a CacheKeyError names the problem', (args, message) => {
    expect(() => (rate as (...a: unknown[]) => unknown)(...args)).toThrow(CacheKeyError);
    expect(() => (rate as (...a: unknown[]) => unknown)(...args)).toThrow(message);
  });

  it('GIVEN a pattern without parameters WHEN built THEN it is the pattern itself', () => {
    expect(keyBuilders([{ name: 'featureFlags', pattern: 'feature:flags', ttlSeconds: 60 }]).featureFlags().key).toBe('feature:flags');
    expect(patternParams('a:{x}:b:{y}')).toEqual(['x', 'y']);
  });

  it('GIVEN a name far from any pattern WHEN reported THEN it says where to add the pattern', () => {
    expect(unknownKeyMessage('invoices', ['session'], 'sessions')).toBe('redis cache `sessions` has no key pattern named `invoices`; the patterns are `session` (add it under `redis.<cache>.keys` in the YAML)');
  });
});

describe('auth token from a secret', () => {
  it.each([
    ['plain-token\n', 'plain-token'],
    ['{"authToken":"t1"}', 't1'],
    ['{"token":"t2"}', 't2'],
    ['{"username":"default","password":"t3"}', 't3'],
  ])('GIVEN the secret %j WHEN read THEN the token is %j', (secret, token) => {
    expect(authTokenFromSecret(secret)).toBe(token);
  });

  it('GIVEN a JSON secret without a token field WHEN read THEN the error names the accepted fields', () => {
    expect(() => authTokenFromSecret('{"user":"x"}', 'secret arn:x')).toThrow('secret arn:x is a JSON object without an `authToken`, `token` or `password` field');
  });
});
