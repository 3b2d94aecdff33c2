import { Testing } from 'cdktf';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import { handler, model, NETWORK, REDIS_SECRET_ARN, redisCache } from './model-builder';
import { dataOf, idOf, one, ref, resourcesOf, synth, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

describe('RedisCache', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(
      model({
        network: NETWORK,
        handlers: [handler('api', { connections: { redis: { cache: 'sessions', poolSize: 2, commandTimeoutMs: 500, connectTimeoutMs: 2000 } } })],
        redis: [
          redisCache('sessions', { engine: 'valkey', version: '7.2', replicasPerShard: 2, snapshotRetentionDays: 5, maxmemoryPolicy: 'allkeys-lru', authTokenSecret: REDIS_SECRET_ARN }),
          redisCache('shards', { engine: 'redis', version: '7.1', shards: 3, replicasPerShard: 0, multiAz: false, port: 6380 }),
          redisCache('legacy', { engine: 'redis', version: '6.2', replicasPerShard: 0, multiAz: false, encryption: { atRest: true, transit: false }, snapshotRetentionDays: 0 }),
        ],
      }),
    );
  });

  it('GIVEN a replicated valkey cache WHEN synthesized THEN the replication group has the shape, encryption and snapshots of the YAML in its subnets and security group', () => {
    expect(s.text).toHaveResourceWithProperties(ElasticacheReplicationGroup, {
      replication_group_id: 'users-prod-sessions',
      engine: 'valkey',
      engine_version: '7.2',
      node_type: 'cache.t4g.small',
      port: 6379,
      num_node_groups: 1,
      replicas_per_node_group: 2,
      multi_az_enabled: true,
      automatic_failover_enabled: true,
      at_rest_encryption_enabled: 'true',
      transit_encryption_enabled: true,
      snapshot_retention_limit: 5,
      subnet_group_name: ref('aws_elasticache_subnet_group', idOf(s.tf, 'aws_elasticache_subnet_group', 'redis_sessions_subnet-group_'), 'name'),
      security_group_ids: [ref('aws_security_group', idOf(s.tf, 'aws_security_group', 'network_redis_sessions_'), 'id')],
      parameter_group_name: ref('aws_elasticache_parameter_group', idOf(s.tf, 'aws_elasticache_parameter_group', 'redis_sessions_parameter-group_'), 'name'),
    });
    expect(s.text).toHaveResourceWithProperties(ElasticacheSubnetGroup, { name: 'users-prod-sessions', subnet_ids: NETWORK.subnetIds });
  });

  it('GIVEN an auth token secret WHEN synthesized THEN the token is read from Secrets Manager by reference and never written as a literal', () => {
    const secret = Object.keys(dataOf(s.tf, 'aws_secretsmanager_secret_version'))[0];
    expect(s.text).toHaveDataSourceWithProperties(DataAwsSecretsmanagerSecretVersion, { secret_id: REDIS_SECRET_ARN });
    expect(one(s.tf, 'aws_elasticache_replication_group', 'redis_sessions_replication-group_').auth_token).toBe(`\${data.aws_secretsmanager_secret_version.${secret}.secret_string}`);
    expect(one(s.tf, 'aws_elasticache_replication_group', 'redis_legacy_replication-group_').auth_token).toBeUndefined();
    expect(Object.keys(dataOf(s.tf, 'aws_secretsmanager_secret_version'))).toHaveLength(1);
  });

  it('GIVEN engines and versions WHEN synthesized THEN each parameter group has the family of its engine and version, the eviction policy, and cluster-enabled only with shards', () => {
    expect(s.text).toHaveResourceWithProperties(ElasticacheParameterGroup, {
      name: 'users-prod-sessions-valkey7',
      family: 'valkey7',
      parameter: [{ name: 'maxmemory-policy', value: 'allkeys-lru' }],
      lifecycle: { create_before_destroy: true },
    });
    expect(s.text).toHaveResourceWithProperties(ElasticacheParameterGroup, {
      family: 'redis7',
      parameter: [
        { name: 'maxmemory-policy', value: 'volatile-lru' },
        { name: 'cluster-enabled', value: 'yes' },
      ],
    });
    expect(s.text).toHaveResourceWithProperties(ElasticacheParameterGroup, { name: 'users-prod-legacy-redis6-x', family: 'redis6.x' });
  });

  it('GIVEN several shards without replicas WHEN synthesized THEN cluster mode keeps automatic failover on and the handler is given the configuration endpoint', () => {
    expect(one(s.tf, 'aws_elasticache_replication_group', 'redis_shards_replication-group_')).toMatchObject({
      num_node_groups: 3,
      replicas_per_node_group: 0,
      multi_az_enabled: false,
      automatic_failover_enabled: true,
      port: 6380,
    });
    expect(one(s.tf, 'aws_elasticache_replication_group', 'redis_legacy_replication-group_')).toMatchObject({ automatic_failover_enabled: false, transit_encryption_enabled: false });
    const shards = idOf(s.tf, 'aws_elasticache_replication_group', 'redis_shards_replication-group_');
    expect(s.tf.output['redis-shards-primary-endpoint'].value).toBe(ref('aws_elasticache_replication_group', shards, 'configuration_endpoint_address'));
    expect(s.tf.output['redis-shards-reader-endpoint']).toBeUndefined();
  });

  it('GIVEN a cache WHEN synthesized THEN its slow log goes to a log group with a retention', () => {
    const log = idOf(s.tf, 'aws_cloudwatch_log_group', 'redis_sessions_slow-log_');
    expect(resourcesOf(s.tf, 'aws_cloudwatch_log_group')[log]).toEqual({ name: '/aws/vendedlogs/elasticache/users-prod-sessions/slow-log', retention_in_days: 30 });
    expect(one(s.tf, 'aws_elasticache_replication_group', 'redis_sessions_replication-group_').log_delivery_configuration).toEqual([
      { destination: ref('aws_cloudwatch_log_group', log, 'name'), destination_type: 'cloudwatch-logs', log_format: 'json', log_type: 'slow-log' },
    ]);
  });
});
