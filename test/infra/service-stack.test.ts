import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { buildApp, SynthesisError } from '../../src/infra';
import { checkPolicies, POLICIES } from './policy-check';
import { assetsFor, endpoint, fullModel, handler, model, NETWORK, redisCache, restApi } from './model-builder';
import { addresses, one, synth, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

describe('ServiceStack', () => {
  let full: Synthesized;
  beforeAll(() => {
    full = synth(fullModel());
  });

  it('GIVEN the full example model WHEN synthesized THEN the aws provider has its region and the model tags plus service and environment as default tags', () => {
    expect(full.text).toHaveProviderWithProperties(AwsProvider, {
      region: 'us-east-1',
      default_tags: [{ tags: { team: 'identity', 'cachestack:service': 'user-service', 'cachestack:environment': 'prod' } }],
    });
  });

  it('GIVEN the default terraform settings WHEN synthesized THEN the stack requires the AWS provider ">= 5.100, < 7.0", not the release the bindings were generated from', () => {
    expect(full.tf.terraform.required_providers).toEqual({ aws: { source: 'aws', version: '>= 5.100, < 7.0' } });
  });

  it('GIVEN terraform.awsProvider "~> 6.25" WHEN synthesized THEN the stack requires exactly that', () => {
    const s = synth(fullModel({ terraform: { awsProvider: '~> 6.25' } }));
    expect(s.tf.terraform.required_providers.aws.version).toBe('~> 6.25');
  });

  it('GIVEN the full example model WHEN synthesized THEN nothing reads data.aws_region (its attribute is `name` in 5.x, `region` in 6.x)', () => {
    expect(full.tf.data.aws_region).toBeUndefined();
    expect(full.text).not.toContain('data.aws_region.');
  });

  it('GIVEN a local backend WHEN synthesized THEN the state path is relative to the stack directory', () => {
    expect(full.tf.terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  });

  it('GIVEN the full example model WHEN synthesized THEN it outputs the invoke URL, GraphQL URL, cache and DAX endpoints, and each function name and alias ARN', () => {
    expect(Object.keys(full.tf.output).sort()).toEqual([
      'dax-hot-endpoint',
      'function-authorizer-alias-arn',
      'function-authorizer-name',
      'function-profile-alias-arn',
      'function-profile-name',
      'function-users-alias-arn',
      'function-users-name',
      'graphql-api-id',
      'graphql-url',
      'redis-sessions-primary-endpoint',
      'redis-sessions-reader-endpoint',
      'rest-api-id',
      'rest-api-stage',
      'rest-api-url',
    ]);
    expect(full.tf.output['rest-api-url'].value).toMatch(/^\$\{aws_api_gateway_stage\.rest-api_stage_[0-9A-F]{8}\.invoke_url\}$/);
    expect(full.tf.output['rest-api-id'].value).toMatch(/^\$\{aws_api_gateway_rest_api\.rest-api_api_[0-9A-F]{8}\.id\}$/);
    expect(full.tf.output['graphql-api-id'].value).toMatch(/^\$\{aws_appsync_graphql_api\.graphql-api_api_[0-9A-F]{8}\.id\}$/);
    expect(full.tf.output['graphql-url'].value).toMatch(/^\$\{aws_appsync_graphql_api\.graphql-api_api_[0-9A-F]{8}\.uris\["GRAPHQL"\]\}$/);
    expect(full.tf.output['redis-sessions-reader-endpoint'].value).toMatch(/reader_endpoint_address\}$/);
    expect(full.tf.output['dax-hot-endpoint'].value).toMatch(/^daxs:\/\/\$\{aws_dax_cluster\.dax_hot_cluster_[0-9A-F]{8}\.cluster_address\}:9111$/);
  });

  it('GIVEN the full example model WHEN synthesized THEN addresses are read from config names, never list positions', () => {
    const all = addresses(full.tf);
    expect(all).toContain(`aws_lambda_function.${Object.keys(full.tf.resource.aws_lambda_function).find((k) => k.startsWith('handler_profile_function_'))}`);
    expect(all.filter((a) => /_\d+_[0-9A-F]{8}$/.test(a))).toEqual([]);
  });

  describe('secure defaults (policy checks over the full model)', () => {
    const results = () => checkPolicies(full.text);
    it.each(POLICIES.map((p) => [p.id, p.title]))('GIVEN the full model WHEN checked THEN %s (%s) passes on every resource it inspects', (id) => {
      const result = results().find((r) => r.id === id)!;
      expect(result.checked).toBeGreaterThan(0);
      expect(result.failures).toEqual([]);
    });
  });

  it('GIVEN an s3 backend WHEN synthesized THEN the state key ends with the stack name and locking and encryption are on', () => {
    const m = model({
      backend: { kind: 's3', bucket: 'tf-state', key: 'users', region: 'eu-west-1', useLockfile: true, encrypt: true },
      handlers: [handler('ping')],
    });
    const { tf } = synth(m);
    expect(tf.terraform.backend).toEqual({ s3: { bucket: 'tf-state', key: 'users/users-prod.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } });
  });

  it('GIVEN a file without environments WHEN synthesized THEN names use the service alone and no environment tag is set', () => {
    const m = model({ environment: undefined, handlers: [handler('ping')] });
    const { tf, text } = synth(m);
    expect(one(tf, 'aws_lambda_function').function_name).toBe('users-ping');
    expect(one(tf, 'aws_lambda_function').environment.variables.CACHESTACK_ENVIRONMENT).toBeUndefined();
    expect(text).toHaveProviderWithProperties(AwsProvider, { default_tags: [{ tags: { 'cachestack:service': 'users' } }] });
  });

  describe('models synthesis cannot use', () => {
    it('GIVEN a handler named warmer WHEN synthesized THEN a SynthesisError names the reserved name and the field', () => {
      const m = model({ handlers: [handler('warmer')] });
      expect(() => synth(m)).toThrow(SynthesisError);
      expect(() => synth(m)).toThrow(/handler name `warmer` is reserved/);
    });

    it('GIVEN a handler without a packaged zip WHEN synthesized THEN a SynthesisError says to package it', () => {
      const m = model({ handlers: [handler('ping')] });
      let error: unknown;
      try {
        synth(m, { handlers: {} });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SynthesisError);
      expect((error as SynthesisError).path).toBe('handlers.ping.entry');
      expect((error as SynthesisError).message).toBe('handler `ping` has no packaged zip; package every handler before synthesis');
    });

    it('GIVEN a redis cache and no network WHEN synthesized THEN a SynthesisError asks for network', () => {
      const m = model({ redis: [redisCache('sessions')] });
      expect(() => synth(m)).toThrow(/redis cache `sessions` runs in a VPC but `network` is missing; add network.vpcId and network.subnetIds/);
    });
  });
});

describe('buildApp', () => {
  it('GIVEN two environments WHEN synthesized twice into two directories THEN every file is byte-identical and each stack references its zips under path.module', () => {
    const models = [fullModel({ environment: 'dev', stackName: 'user-service-dev' }), fullModel()];
    const assets = Object.fromEntries(models.map((m) => [m.stackName, assetsFor(m)]));
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-infra-')));
    try {
      for (const dir of dirs) buildApp(models, assets, dir).synth();
      const files = (dir: string) => fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
      expect(files(dirs[0])).toEqual(['manifest.json', 'stacks/user-service-dev/cdk.tf.json', 'stacks/user-service-prod/cdk.tf.json']);
      for (const f of files(dirs[0])) {
        expect(fs.readFileSync(path.join(dirs[1], f))).toEqual(fs.readFileSync(path.join(dirs[0], f)));
      }
      const tf = JSON.parse(fs.readFileSync(path.join(dirs[0], 'stacks/user-service-dev/cdk.tf.json'), 'utf8'));
      const fn = Object.entries(tf.resource.aws_lambda_function).find(([k]) => k.startsWith('handler_profile_function'))![1] as Record<string, string>;
      expect(fn.filename).toBe(`\${path.module}/${assets['user-service-dev'].handlers.profile.path}`);
      expect(fn.source_code_hash).toBe(assets['user-service-dev'].handlers.profile.sha256);
      expect(tf.terraform.backend.local.path).toBe('terraform.tfstate');
      const manifest = JSON.parse(fs.readFileSync(path.join(dirs[0], 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks).sort()).toEqual(['user-service-dev', 'user-service-prod']);
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a model WHEN built THEN the app holds one stack named after the model', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-infra-'));
    try {
      const m = model({ network: NETWORK, handlers: [handler('ping')], restApi: restApi([endpoint('GET', '/ping', 'ping')]) });
      const app = buildApp([m], { [m.stackName]: assetsFor(m) }, dir);
      expect(app.node.children.map((c) => c.node.id)).toEqual(['users-prod']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
