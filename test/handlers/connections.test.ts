import type { DaxConfig } from '@amazon-dax-sdk/client-dax';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool, type PoolConfig } from 'pg';
import { decodeHandlerEnvironment, ENV } from '../../handlers/runtime/contract';
import { daxClientConfig, DaxNotConfiguredError } from '../../handlers/runtime/dax';
import { postgresConnectionFromSecret, postgresPoolConfig, postgresPoolSettings } from '../../handlers/runtime/postgres';
import { forgetSecrets } from '../../handlers/runtime/secrets';

const PG_SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:roadcall/aurora-AbCdEf';
const env = decodeHandlerEnvironment({
  [ENV.service]: 'roadcall', [ENV.handler]: 'payments',
  [ENV.retryMaxAttempts]: '3', [ENV.httpConnectTimeoutMs]: '2500',
  [ENV.daxCluster]: 'hot', [ENV.daxEndpoint]: 'daxs://hot.abc123.dax-clusters.us-east-1.amazonaws.com', [ENV.daxRequestTimeoutMs]: '800',
  [ENV.pgSecretArn]: PG_SECRET, [ENV.pgMin]: '2', [ENV.pgMax]: '10', [ENV.pgIdleTimeoutMs]: '30000',
  [ENV.pgConnectionTimeoutMs]: '5000', [ENV.pgStatementTimeoutMs]: '30000',
});

describe('dax client settings', () => {
  it('GIVEN a dax connection WHEN settings are built THEN they carry the endpoint, timeouts and retries in DaxConfig shape', () => {
    const cfg: DaxConfig = daxClientConfig(env, 'us-east-1');
    expect(cfg).toEqual({ endpoint: 'daxs://hot.abc123.dax-clusters.us-east-1.amazonaws.com', region: 'us-east-1', requestTimeout: 800, connectTimeout: 2500, maxRetries: 2 });
  });

  it('GIVEN no dax connection WHEN settings are asked for THEN the error says what to add to the YAML', () => {
    expect(() => daxClientConfig(decodeHandlerEnvironment({ [ENV.handler]: 'users' }))).toThrow(DaxNotConfiguredError);
    expect(() => daxClientConfig(decodeHandlerEnvironment({ [ENV.handler]: 'users' }))).toThrow('handler `users` has no dax connection');
  });
});

describe('postgres pool settings', () => {
  let sm: Server;
  let smUrl = '';
  let secret = '';
  let reads = 0;
  beforeAll(async () => {
    sm = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        reads++;
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ ARN: PG_SECRET, Name: 'roadcall/aurora', SecretString: secret }));
      });
    });
    await new Promise<void>((r) => sm.listen(0, '127.0.0.1', r));
    smUrl = `http://127.0.0.1:${(sm.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => sm.close(r)));
  beforeEach(() => {
    forgetSecrets();
    reads = 0;
  });
  const client = () => new SecretsManagerClient({ region: 'us-east-1', endpoint: smUrl, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } });

  it('GIVEN a postgres connection WHEN pool settings are built THEN they map the YAML fields to pg option names', () => {
    expect(postgresPoolSettings(env)).toEqual({
      ssl: { rejectUnauthorized: true }, min: 2, max: 10, idleTimeoutMillis: 30000, connectionTimeoutMillis: 5000,
      statement_timeout: 30000, query_timeout: 31000, application_name: 'roadcall/payments',
    });
    expect(postgresPoolSettings(decodeHandlerEnvironment({}))).toBeUndefined();
  });

  it('GIVEN an RDS-format secret WHEN the pool config is read twice THEN it holds the credentials, the secret is read once and pg accepts it', async () => {
    secret = JSON.stringify({ engine: 'postgres', host: 'aurora.cluster-abc.us-east-1.rds.amazonaws.com', port: 5432, username: 'app', password: 'pw', dbname: 'roadcall' });
    const sm = client();
    const cfg = await postgresPoolConfig({ settings: env, secretsManager: sm });
    await postgresPoolConfig({ settings: env, secretsManager: sm });
    sm.destroy();
    expect(reads).toBe(1);
    expect(cfg).toMatchObject({ host: 'aurora.cluster-abc.us-east-1.rds.amazonaws.com', port: 5432, user: 'app', password: 'pw', database: 'roadcall', max: 10, ssl: { rejectUnauthorized: true, servername: 'aurora.cluster-abc.us-east-1.rds.amazonaws.com' } });
    const poolConfig: PoolConfig = cfg!;
    const pool = new Pool(poolConfig);
    expect(pool.options.max).toBe(10);
    await pool.end();
  });

  it.each([
    ['not json', /must be JSON with host, port, username, password and dbname/],
    ['{"host":"h"}', /has no `username`, `password`/],
    ['{"host":"h","username":"u","password":"p","port":"abc"}', /has port "abc", which is not a port number/],
  ])('GIVEN the secret %j WHEN parsed THEN the error names what is wrong', (text, message) => {
    expect(() => postgresConnectionFromSecret(text)).toThrow(message);
  });
});
