import { Testing } from 'cdktf';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaProvisionedConcurrencyConfig } from '@cdktf/provider-aws/lib/lambda-provisioned-concurrency-config';
import { encodeHandlerEnvironment } from '../../handlers/runtime/contract';
import type { ServiceModel } from '../../src/config/model';
import { DAX_CLIENT_ACTIONS, VPC_ENI_ACTIONS } from '../../src/infra/handler-function';
import { daxCluster, handler, model, NETWORK, PG_SECRET_ARN, REDIS_SECRET_ARN, redisCache, redisKey } from './model-builder';
import { dataOf, idOf, one, ref, resourcesOf, synth, type Json, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const HTTP = { keepAlive: true, maxSockets: 20, connectTimeoutMs: 1000, requestTimeoutMs: 4000 };

/** `profile` names a cluster-mode cache, a plain DAX cluster and a Postgres secret with `vpc: false`. */
function handlerModel(): ServiceModel {
  return model({
    network: NETWORK,
    handlers: [
      handler('profile', {
        export: 'main',
        runtime: 'nodejs24.x',
        architecture: 'x86_64',
        memoryMb: 1024,
        timeoutSeconds: 20,
        provisionedConcurrency: 5,
        reservedConcurrency: 50,
        logRetentionDays: 14,
        environment: { LOG_LEVEL: 'info' },
        connections: {
          http: HTTP,
          retries: { maxAttempts: 5, mode: 'adaptive' },
          redis: { cache: 'sessions', poolSize: 10, commandTimeoutMs: 400, connectTimeoutMs: 1500 },
          dax: { cluster: 'hot', requestTimeoutMs: 800 },
          postgres: { secret: PG_SECRET_ARN, min: 1, max: 5, idleTimeoutMs: 10000, connectionTimeoutMs: 3000, statementTimeoutMs: 20000, port: 5432 },
        },
      }),
      handler('plain'),
      handler('boxed', { vpc: true }),
    ],
    redis: [
      redisCache('sessions', { shards: 3, authTokenSecret: REDIS_SECRET_ARN, keys: [redisKey('session:{token}', 3600, 'session')] }),
      redisCache('unused'),
    ],
    dax: [daxCluster('hot', ['Incidents'], { encryption: false })],
  });
}

function statements(tf: Json, rolePrefix: string): Json[] {
  return Object.entries(dataOf(tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith(`${rolePrefix}_permissions_`))![1].statement;
}

let s: Synthesized;
beforeAll(() => {
  s = synth(handlerModel());
});

describe('HandlerFunction', () => {
  it('GIVEN a handler WHEN synthesized THEN its function runs the packaged zip with the sizing, runtime and export of the YAML, traced and published', () => {
    const logGroup = idOf(s.tf, 'aws_cloudwatch_log_group', 'handler_profile_log-group_');
    expect(s.text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'users-prod-profile',
      handler: 'index.main',
      runtime: 'nodejs24.x',
      architectures: ['x86_64'],
      memory_size: 1024,
      timeout: 20,
      reserved_concurrent_executions: 50,
      publish: true,
      tracing_config: { mode: 'Active' },
      logging_config: { log_format: 'Text', log_group: ref('aws_cloudwatch_log_group', logGroup, 'name') },
    });
    expect(resourcesOf(s.tf, 'aws_cloudwatch_log_group')[logGroup]).toEqual({ name: '/aws/lambda/users-prod-profile', retention_in_days: 14 });
    expect(one(s.tf, 'aws_lambda_function', 'handler_plain_function_').reserved_concurrent_executions).toBeUndefined();
  });

  it('GIVEN a python handler WHEN synthesized THEN the handler string is module.function and the runtime a python one', () => {
    const py = synth(model({ handlers: [handler('courses', { entry: '../handlers/courses.py', entryPath: '/p/handlers/courses.py', export: 'lambda_handler', runtime: 'python3.12', architecture: 'arm64' })] }));
    expect(py.text).toHaveResourceWithProperties(LambdaFunction, { function_name: 'users-prod-courses', handler: 'courses.lambda_handler', runtime: 'python3.12', architectures: ['arm64'] });
  });

  it('GIVEN connections WHEN synthesized THEN the environment is exactly the contract encoding (endpoints as Terraform references) merged with the handler environment', () => {
    const rg = idOf(s.tf, 'aws_elasticache_replication_group', 'redis_sessions_replication-group_');
    const dax = idOf(s.tf, 'aws_dax_cluster', 'dax_hot_cluster_');
    const expected = {
      LOG_LEVEL: 'info',
      ...encodeHandlerEnvironment({
        service: 'users',
        environment: 'prod',
        handler: 'profile',
        http: HTTP,
        retries: { maxAttempts: 5, mode: 'adaptive' },
        redis: {
          cache: 'sessions',
          host: ref('aws_elasticache_replication_group', rg, 'configuration_endpoint_address'),
          port: 6379,
          tls: true,
          clusterMode: true,
          authSecretArn: REDIS_SECRET_ARN,
          poolSize: 10,
          commandTimeoutMs: 400,
          connectTimeoutMs: 1500,
          keys: [{ name: 'session', pattern: 'session:{token}', ttlSeconds: 3600 }],
        },
        dax: { cluster: 'hot', endpoint: `dax://${ref('aws_dax_cluster', dax, 'cluster_address')}:8111`, requestTimeoutMs: 800 },
        postgres: { secretArn: PG_SECRET_ARN, min: 1, max: 5, idleTimeoutMs: 10000, connectionTimeoutMs: 3000, statementTimeoutMs: 20000 },
      }),
    };
    expect(one(s.tf, 'aws_lambda_function', 'handler_profile_function_').environment.variables).toEqual(expected);
    expect(Object.keys(one(s.tf, 'aws_lambda_function', 'handler_plain_function_').environment.variables).filter((k) => /REDIS|DAX|PG/.test(k))).toEqual([]);
  });

  it('GIVEN a handler WHEN synthesized THEN the live alias points at the published version and carries the provisioned concurrency', () => {
    const fn = idOf(s.tf, 'aws_lambda_function', 'handler_profile_function_');
    const alias = idOf(s.tf, 'aws_lambda_alias', 'handler_profile_alias_');
    expect(s.text).toHaveResourceWithProperties(LambdaAlias, {
      name: 'live',
      function_name: ref('aws_lambda_function', fn, 'function_name'),
      function_version: ref('aws_lambda_function', fn, 'version'),
    });
    expect(s.text).toHaveResourceWithProperties(LambdaProvisionedConcurrencyConfig, {
      function_name: ref('aws_lambda_function', fn, 'function_name'),
      qualifier: ref('aws_lambda_alias', alias, 'name'),
      provisioned_concurrent_executions: 5,
    });
    expect(Object.keys(resourcesOf(s.tf, 'aws_lambda_provisioned_concurrency_config'))).toHaveLength(1);
  });

  it('GIVEN connections WHEN synthesized THEN the role grants its own log group, X-Ray, network interfaces, DAX data actions on the named cluster and the two secrets, nothing else', () => {
    const logGroup = idOf(s.tf, 'aws_cloudwatch_log_group', 'handler_profile_log-group_');
    const dax = idOf(s.tf, 'aws_dax_cluster', 'dax_hot_cluster_');
    const byId = Object.fromEntries(statements(s.tf, 'handler_profile_role').map((st) => [st.sid, st]));
    expect(Object.keys(byId).sort()).toEqual(['Dax', 'Logs', 'Secrets', 'VpcNetworkInterfaces', 'XRay']);
    expect(byId.Logs).toMatchObject({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${ref('aws_cloudwatch_log_group', logGroup, 'arn')}:*`] });
    expect(byId.Dax).toMatchObject({ actions: [...DAX_CLIENT_ACTIONS].sort(), resources: [ref('aws_dax_cluster', dax, 'arn')] });
    expect(byId.VpcNetworkInterfaces.actions).toEqual([...VPC_ENI_ACTIONS].sort());
    const redisSecret = Object.keys(dataOf(s.tf, 'aws_secretsmanager_secret_version'))[0];
    const pgSecret = Object.keys(dataOf(s.tf, 'aws_secretsmanager_secret'))[0];
    expect(byId.Secrets).toMatchObject({
      actions: ['secretsmanager:GetSecretValue'],
      resources: [`\${data.aws_secretsmanager_secret_version.${redisSecret}.arn}`, `\${data.aws_secretsmanager_secret.${pgSecret}.arn}`],
    });
    expect(dataOf(s.tf, 'aws_secretsmanager_secret')[pgSecret]).toEqual({ arn: PG_SECRET_ARN });
    expect(statements(s.tf, 'handler_plain_role').map((st) => st.sid)).toEqual(['Logs', 'XRay']);
  });

  it('GIVEN a handler that names a cache with vpc false WHEN synthesized THEN it still runs in the VPC with its own security group', () => {
    const sg = idOf(s.tf, 'aws_security_group', 'network_handler_profile_');
    expect(one(s.tf, 'aws_lambda_function', 'handler_profile_function_').vpc_config).toEqual({ subnet_ids: NETWORK.subnetIds, security_group_ids: [ref('aws_security_group', sg, 'id')] });
    expect(one(s.tf, 'aws_lambda_function', 'handler_plain_function_').vpc_config).toBeUndefined();
    expect(one(s.tf, 'aws_lambda_function', 'handler_profile_function_').depends_on).toContain(`aws_iam_role_policy.${idOf(s.tf, 'aws_iam_role_policy', 'handler_profile_role_policy_')}`);
  });
});

describe('Network', () => {
  it('GIVEN one handler naming the cache WHEN synthesized THEN the cache admits its port from that handler only, and an unnamed cache admits nothing', () => {
    const profileSg = ref('aws_security_group', idOf(s.tf, 'aws_security_group', 'network_handler_profile_'), 'id');
    const sessionsSg = ref('aws_security_group', idOf(s.tf, 'aws_security_group', 'network_redis_sessions_'), 'id');
    const daxSg = ref('aws_security_group', idOf(s.tf, 'aws_security_group', 'network_dax_hot_'), 'id');
    const unusedSg = ref('aws_security_group', idOf(s.tf, 'aws_security_group', 'network_redis_unused_'), 'id');
    const ingress = Object.values(resourcesOf(s.tf, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress.map(({ security_group_id, referenced_security_group_id, from_port, to_port, ip_protocol }) => ({ security_group_id, referenced_security_group_id, from_port, to_port, ip_protocol }))).toEqual([
      { security_group_id: daxSg, referenced_security_group_id: profileSg, from_port: 8111, to_port: 8111, ip_protocol: 'tcp' },
      { security_group_id: sessionsSg, referenced_security_group_id: profileSg, from_port: 6379, to_port: 6379, ip_protocol: 'tcp' },
    ]);
    expect(ingress.some((r) => r.security_group_id === unusedSg)).toBe(false);
    expect(ingress.every((r) => r.cidr_ipv4 === undefined)).toBe(true);
  });

  it('GIVEN handlers in the VPC WHEN synthesized THEN their groups reach HTTPS, the caches they name and, with postgres, the VPC on 5432; cache groups have no egress', () => {
    const egress = Object.entries(resourcesOf(s.tf, 'aws_vpc_security_group_egress_rule')).map(([id, r]) => [id.replace(/_[0-9A-F]{8}$/, ''), r.from_port, r.cidr_ipv4 ?? 'group']);
    expect(egress).toEqual([
      ['network_handler_boxed_https-out', 443, '0.0.0.0/0'],
      ['network_handler_profile_https-out', 443, '0.0.0.0/0'],
      ['network_handler_profile_postgres-out', 5432, `\${data.aws_vpc.${Object.keys(dataOf(s.tf, 'aws_vpc'))[0]}.cidr_block}`],
      ['network_handler_profile_to_dax_hot', 8111, 'group'],
      ['network_handler_profile_to_redis_sessions', 6379, 'group'],
    ]);
    expect(Object.values(resourcesOf(s.tf, 'aws_security_group')).every((g) => g.vpc_id === NETWORK.vpcId && g.egress === undefined && g.ingress === undefined)).toBe(true);
    expect(Object.keys(resourcesOf(s.tf, 'aws_security_group')).some((k) => k.startsWith('network_handler_plain_'))).toBe(false);
  });
});
