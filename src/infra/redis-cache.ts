/**
 * One ElastiCache replication group (Valkey or Redis OSS) in the VPC's subnets,
 * behind the security group `Network` made for it.
 *
 * Resources: aws_elasticache_subnet_group, aws_elasticache_parameter_group,
 * aws_cloudwatch_log_group (slow log), aws_elasticache_replication_group, and
 * data aws_secretsmanager_secret_version when an `authTokenSecret` is named.
 *
 * The AUTH token is read from Secrets Manager at plan time (the secret's value is
 * the token itself, as a plain string); the YAML and the generated Terraform only
 * hold the secret's ARN. Terraform keeps the token in its state (as a sensitive
 * value), so the state backend must be protected like the secret.
 */
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { ElasticacheParameterGroup } from '@cdktf/provider-aws/lib/elasticache-parameter-group';
import { ElasticacheReplicationGroup } from '@cdktf/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktf/provider-aws/lib/elasticache-subnet-group';
import type { RedisCache as RedisCacheModel } from '../config/model';
import type { RedisEndpoint } from './handler-function';
import { redisParameterFamily, type ResourceNames } from './naming';

export interface RedisCacheProps {
  cache: RedisCacheModel;
  names: ResourceNames;
  /** `network.subnetIds`. */
  subnetIds: string[];
  /** The cache's own security group (from `Network`). */
  securityGroupId: string;
  /** Days CloudWatch keeps the slow log. @default 30 */
  slowLogRetentionDays?: number;
  /** Stack name, for descriptions. */
  stackName: string;
}

export class RedisCache extends Construct {
  readonly cache: RedisCacheModel;
  readonly subnetGroup: ElasticacheSubnetGroup;
  readonly parameterGroup: ElasticacheParameterGroup;
  readonly slowLog: CloudwatchLogGroup;
  readonly authToken?: DataAwsSecretsmanagerSecretVersion;
  readonly replicationGroup: ElasticacheReplicationGroup;
  /** More than one shard: Redis cluster mode. */
  readonly clusterMode: boolean;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const c = props.cache;
    this.cache = c;
    this.clusterMode = c.shards > 1;
    const groupId = props.names.redisReplicationGroupId(c.name);
    const family = redisParameterFamily(c.engine, c.version);

    this.subnetGroup = new ElasticacheSubnetGroup(this, 'subnet-group', {
      name: props.names.redisSubnetGroupName(c.name),
      description: `cachestack: ${c.name} of ${props.stackName}`,
      subnetIds: props.subnetIds,
    });

    const parameters: { name: string; value: string }[] = [{ name: 'maxmemory-policy', value: c.maxmemoryPolicy }];
    if (this.clusterMode) parameters.push({ name: 'cluster-enabled', value: 'yes' });
    this.parameterGroup = new ElasticacheParameterGroup(this, 'parameter-group', {
      name: props.names.redisParameterGroupName(c.name, family),
      family,
      description: `cachestack: ${c.name} of ${props.stackName}`,
      parameter: parameters,
      // A new engine version means a new family and so a new group, which must
      // exist before the replication group moves off the old one.
      lifecycle: { createBeforeDestroy: true },
    });

    this.slowLog = new CloudwatchLogGroup(this, 'slow-log', {
      name: props.names.redisSlowLogGroupName(groupId),
      retentionInDays: props.slowLogRetentionDays ?? 30,
    });

    if (c.authTokenSecret) {
      this.authToken = new DataAwsSecretsmanagerSecretVersion(this, 'auth-token', { secretId: c.authTokenSecret });
    }

    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication-group', {
      replicationGroupId: groupId,
      description: `cachestack: ${c.name} of ${props.stackName}`,
      engine: c.engine,
      engineVersion: c.version,
      nodeType: c.nodeType,
      port: c.port,
      numNodeGroups: c.shards,
      replicasPerNodeGroup: c.replicasPerShard,
      multiAzEnabled: c.multiAz,
      // Cluster mode requires automatic failover; Multi-AZ turns it on.
      automaticFailoverEnabled: c.multiAz || this.clusterMode,
      atRestEncryptionEnabled: String(c.encryption.atRest),
      transitEncryptionEnabled: c.encryption.transit,
      authToken: this.authToken?.secretString,
      snapshotRetentionLimit: c.snapshotRetentionDays,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [props.securityGroupId],
      parameterGroupName: this.parameterGroup.name,
      autoMinorVersionUpgrade: 'true',
      logDeliveryConfiguration: [
        { destination: this.slowLog.name, destinationType: 'cloudwatch-logs', logFormat: 'json', logType: 'slow-log' },
      ],
    });
  }

  /** Primary endpoint, or the configuration endpoint in cluster mode. */
  get primaryHost(): string {
    return this.clusterMode ? this.replicationGroup.configurationEndpointAddress : this.replicationGroup.primaryEndpointAddress;
  }

  /** Reader endpoint (spreads reads over the replicas); none in cluster mode, where the client discovers replicas. */
  get readerHost(): string | undefined {
    return this.clusterMode ? undefined : this.replicationGroup.readerEndpointAddress;
  }

  /** What a handler that names this cache gets. */
  get endpoint(): RedisEndpoint {
    return {
      name: this.cache.name,
      host: this.primaryHost,
      readerHost: this.readerHost,
      port: this.cache.port,
      tls: this.cache.encryption.transit,
      clusterMode: this.clusterMode,
      authSecretArn: this.cache.authTokenSecret,
      // The data source's ARN is the secret's full ARN even when the YAML gives a partial one.
      authSecretIamArn: this.authToken?.arn,
      keys: this.cache.keys,
    };
  }
}
