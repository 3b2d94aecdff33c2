import { looksLikeSecretName } from '../../src/config/rules/environment-variables';
import { brief, handler, model, NETWORK, redis, run } from './helpers';

const BASE = {
  version: 1,
  service: 'svc',
  region: 'us-east-1',
  auth: { cognito: { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123' } },
  handlers: { profile: { entry: 'handlers/ok.ts' }, users: { entry: 'handlers/ok.ts' } },
  redis: { sessions: {} },
};

function overlay(dev: Record<string, unknown>) {
  const m = model({
    environment: 'dev',
    network: NETWORK,
    auth: BASE.auth,
    handlers: [handler('profile'), handler('users')],
    redis: [redis('sessions')],
  });
  return run(m, { raw: { ...BASE, environments: { dev } } });
}

describe('rule overlays (overlay-unknown-entry)', () => {
  const cases = [
    { name: 'GIVEN a misspelt handler entry THEN it is reported', dev: { handlers: { profle: { memoryMb: 1024 } } }, expected: ['overlay-unknown-entry@handlers.profle'] },
    { name: 'GIVEN an unknown redis and dax entry THEN both are reported', dev: { redis: { session: {} }, dax: { hot: {} } }, expected: ['overlay-unknown-entry@redis.session', 'overlay-unknown-entry@dax.hot'] },
    { name: 'GIVEN a section the base lacks THEN it is reported', dev: { warmer: { enabled: false }, restApi: { stage: 'dev' } }, expected: ['overlay-unknown-entry@warmer', 'overlay-unknown-entry@restApi'] },
    { name: 'GIVEN an auth provider the base lacks THEN it is reported', dev: { auth: { oidc: { issuer: 'https://x' } } }, expected: ['overlay-unknown-entry@auth.oidc'] },
    { name: 'GIVEN optional fields of existing entries, tags and region THEN it passes', dev: { handlers: { profile: { memoryMb: 1024, reservedConcurrency: 5 } }, redis: { sessions: { replicasPerShard: 0, multiAz: false } }, tags: { new: 'x' }, region: 'eu-west-1', auth: { cognito: { userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other1' } } }, expected: [] },
  ];
  it.each(cases)('$name', ({ dev, expected }) => {
    expect(brief(overlay(dev))).toEqual(expected);
  });

  it('GIVEN a misspelt entry WHEN reported THEN the message lists base entries and the hint suggests the closest', () => {
    const [r] = overlay({ handlers: { profle: {} } });
    expect(r.message).toBe('environment `dev` changes handler `profle`, which the base does not define; the base defines handlers: `profile`, `users`');
    expect(r.hint).toBe('did you mean `profile`?');
  });

  it('GIVEN a file without environments THEN nothing is checked', () => {
    expect(run(model({ handlers: [handler('profile')] }), { raw: { ...BASE } })).toEqual([]);
  });

  it('GIVEN another environment overlay with a typo WHEN this environment runs THEN it is not reported here', () => {
    const m = model({ environment: 'prod', network: NETWORK, auth: BASE.auth, handlers: [handler('profile'), handler('users')], redis: [redis('sessions')] });
    expect(run(m, { raw: { ...BASE, environments: { prod: {}, dev: { handlers: { profle: {} } } } } })).toEqual([]);
  });
});

describe('rule environment-variables', () => {
  const env = (environment: Record<string, string>) => run(model({ handlers: [handler('api', { environment })] }));

  it.each(['CACHESTACK_REDIS_HOST', 'AWS_REGION', 'AWS_NODEJS_CONNECTION_REUSE_ENABLED', '_HANDLER', '_X_AMZN_TRACE_ID', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR'])(
    'GIVEN reserved name %s THEN it is reported',
    (name) => {
      expect(brief(env({ [name]: 'x' }))).toEqual([`reserved-environment-variable@handlers.api.environment.${name}`]);
    },
  );

  it.each(['DB_PASSWORD', 'dbPassword', 'JWT_SECRET', 'CLIENT_SECRET', 'GITHUB_TOKEN', 'STRIPE_API_KEY', 'APIKEY', 'PRIVATE_KEY', 'SIGNING_KEY', 'SMTP_PASS', 'CREDENTIALS'])(
    'GIVEN secret-looking name %s with a literal value THEN it is reported',
    (name) => {
      const reports = env({ [name]: 'hunter2' });
      expect(brief(reports)).toEqual([`secret-in-environment@handlers.api.environment.${name}`]);
      expect(reports[0].message).not.toContain('hunter2');
    },
  );

  it.each(['JWT_SECRET_ARN', 'DB_PASSWORD_SECRET_NAME', 'TOKEN_TTL_SECONDS', 'TOKEN_HEADER', 'TOKEN_URL', 'ACCESS_KEY_ID', 'MAX_TOKENS', 'LOG_LEVEL', 'KEY_PREFIX', 'PASSWORD_MIN_LENGTH', 'SESSION_TOKEN_COOKIE', 'TOKEN_MAX_AGE'])(
    'GIVEN descriptive name %s THEN it is not a secret name',
    (name) => {
      expect(looksLikeSecretName(name)).toBe(false);
    },
  );

  it.each([
    ['a secrets manager arn', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db'],
    ['an ssm parameter arn', 'arn:aws:ssm:us-east-1:123456789012:parameter/db/password'],
    ['an empty value', ''],
    ['a boolean', 'true'],
    ['a short number', '300'],
  ])('GIVEN a secret-looking name holding %s THEN it passes', (_what, value) => {
    expect(env({ DB_PASSWORD: value })).toEqual([]);
  });

  it('GIVEN a url with a password under any name THEN it is reported without the value', () => {
    const reports = env({ DATABASE_URL: 'postgres://app:s3cret@db.internal:5432/app' });
    expect(brief(reports)).toEqual(['secret-in-environment@handlers.api.environment.DATABASE_URL']);
    expect(reports[0].message).toBe('handler `api`: environment variable `DATABASE_URL` holds a url with a password in it; values in the yaml end up in git, the terraform state and the lambda console');
    expect(reports[0].hint).toContain('`DATABASE_SECRET_ARN: arn:aws:secretsmanager:...`');
  });

  it('GIVEN a url without a password THEN it passes', () => {
    expect(env({ DATABASE_URL: 'postgres://db.internal:5432/app', API_BASE: 'https://user@example.com/x' })).toEqual([]);
  });
});
