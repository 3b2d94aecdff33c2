/**
 * What src/infra can write beyond the shipped configs (the infra tests' full model:
 * every section and connection kind; GraphQL with each kind of auth), through
 * `terraform validate` with the real AWS provider: no error, no warning. This is
 * what catches an argument or attribute the provider release in use does not have
 * (the default constraint admits 5.100; the bindings are generated from 6.25).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import type { ServiceModel } from '../../src/config/model';
import { ServiceStack } from '../../src/infra';
import { assetsFor, fullModel, resolver } from '../infra/model-builder';
import { describe as describeDiagnostics, diagnostics, initArgs, terraformRunner } from './stack';
import { findTools, limiter } from './tools';

process.env.CHECKPOINT_DISABLE = '1';

const full = fullModel();
const MODELS: [string, ServiceModel][] = [
  ['the full model', full],
  ['GraphQL with api-key auth', fullModel({ auth: { ...full.auth, apiKey: { expires: '2030-01-01', description: 'test key' } }, graphqlApi: { ...full.graphqlApi!, auth: 'api-key' } })],
  ['GraphQL with oidc auth', fullModel({ auth: { ...full.auth, oidc: { issuer: 'https://issuer.example.com', clientId: 'client', authTtlSeconds: 300 } }, graphqlApi: { ...full.graphqlApi!, auth: 'oidc' } })],
  ['GraphQL with lambda and iam auth', fullModel({ graphqlApi: { ...full.graphqlApi!, auth: 'lambda' } })],
  [
    'egress through gateway and interface endpoints, the database group and the account logs role',
    fullModel({
      network: { ...full.network!, egress: 'endpoints', endpoints: ['dynamodb', 's3', 'secretsmanager', 'sts'] },
      handlers: full.handlers.map((h) =>
        h.connections.postgres ? { ...h, connections: { ...h.connections, postgres: { ...h.connections.postgres, port: 5433, securityGroupId: 'sg-0123456789abcdef0', serverMaxConnections: 1000 } } } : h,
      ),
      restApi: { ...full.restApi!, accountLogsRole: true },
    }),
  ],
  [
    'invalidates and evicts',
    fullModel({
      handlers: full.handlers.map((h) => (h.name === 'users' ? { ...h, invalidates: [{ method: 'GET', path: '/profile' }, { method: 'GET', path: '/users/{userId}' }] } : h)),
      graphqlApi: {
        ...full.graphqlApi!,
        schemaSdl: `${full.graphqlApi!.schemaSdl}type Mutation { renameUser(userId: ID!, name: String): User }\n`,
        resolvers: [
          ...full.graphqlApi!.resolvers,
          resolver('Mutation.renameUser', 'users', { evicts: [{ field: 'Query.user', typeName: 'Query', fieldName: 'user', keys: {} }] }),
        ],
      },
    }),
  ],
];

const found = findTools();
if ('missing' in found) {
  if (process.env.CI === 'true') {
    test('terraform and the AWS provider are installed (CI=true)', () => {
      throw new Error(`terraform validate of the infra models needs ${found.missing.join('; ')}; run scripts/test-deps.sh`);
    });
  } else {
    test.skip(`terraform validate of the infra models (skipped: needs ${found.missing.join('; ')})`, () => undefined);
  }
} else {
  const tools = found.tools;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-tf-models-'));
  const tf = terraformRunner(tools, path.join(os.tmpdir(), 'cachestack-tf-plugin-cache'));
  const two = limiter(2);
  const initOne = tools.pluginDir ? <T>(job: () => Promise<T>) => job() : limiter(1);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test.concurrent.each(MODELS)(
    'GIVEN %s WHEN terraform validates its stack THEN there is no error and no warning',
    (label, model) =>
      two(async () => {
        const dir = path.join(work, label.replace(/[^a-z0-9]+/gi, '-'));
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, 'cdk.tf.json'), Testing.synth(new ServiceStack(Testing.app(), model, assetsFor(model))));
        const init = await initOne(() => tf(dir, initArgs(tools, false)));
        if (init.code !== 0) throw new Error(`terraform init failed:\n${init.stderr}${init.stdout}`);
        const validate = await tf(dir, ['validate', '-json', '-no-color']);
        expect(describeDiagnostics(diagnostics(validate.stdout))).toBe('');
        expect(validate.code).toBe(0);
      }),
    300000,
  );
}
