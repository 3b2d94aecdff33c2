/**
 * One Terraform stack per service and environment: the AWS provider (region,
 * default tags), the state backend, and the constructs of every section of the
 * resolved model, with outputs for what callers and operators need.
 *
 * Construction order follows references: security groups first (caches admit
 * the functions' groups), then caches and DAX clusters (functions get their
 * endpoints), then functions, then the APIs and the warmer that invoke them.
 * Every list is walked in name order (the model keeps handlers, caches and
 * clusters sorted; endpoints and resolvers are sorted by their constructs), so
 * the same model always gives the same JSON, whatever the YAML's order.
 */
import { Construct } from 'constructs';
import { Lazy, LocalBackend, S3Backend, TerraformOutput, TerraformStack, type TerraformElement } from 'cdktf';
import type { Node } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { ArnContext } from '../config/access';
import type { ServiceModel } from '../config/model';
import type { StackAssets } from './assets';
import { ServiceAlarms } from './alarms';
import { ApiGatewayAccountRole } from './api-gateway-account';
import { ServiceCdn } from './cdn';
import { CDN_METRICS_REGION, planAlarms } from '../plan/alarms';
import { ServiceDashboard } from './dashboard';
import { DaxCluster } from './dax-cluster';
import { SynthesisError } from './errors';
import { GraphqlApi } from './graphql-api';
import { HandlerFunction } from './handler-function';
import { Lookups } from './lookups';
import { constructIds, logicalIdOf, outputIds, RESERVED_HANDLER_NAMES, ResourceNames } from './naming';
import { Network, runsInVpc } from './network';
import { RedisCache } from './redis-cache';
import { RestApi } from './rest-api';
import { assertKnownCdktf, stockPasses, toTerraformResolvedOnce } from './resolve-once';
import { Warmer } from './warmer';

/** The local state file, relative to the stack directory Terraform runs in. */
export const LOCAL_STATE_PATH = 'terraform.tfstate';

/** Tags on every taggable resource: the model's, plus which service and environment it belongs to. */
export function defaultTags(model: ServiceModel): Record<string, string> {
  const tags: Record<string, string> = { ...model.tags, 'cachestack:service': model.service };
  if (model.environment !== undefined) tags['cachestack:environment'] = model.environment;
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether the model gets a warmer: enabled, and at least one handler says `warm: true`. */
export function hasWarmer(model: ServiceModel): boolean {
  return model.warmer !== undefined && model.warmer.enabled && model.handlers.some((h) => h.warm);
}

export class ServiceStack extends TerraformStack {
  readonly model: ServiceModel;
  readonly names: ResourceNames;
  readonly lookups: Lookups;
  readonly network: Network;
  readonly handlers = new Map<string, HandlerFunction>();
  readonly redis = new Map<string, RedisCache>();
  readonly dax = new Map<string, DaxCluster>();
  readonly restApi?: RestApi;
  /** The account's API Gateway logging role, with `restApi.accountLogsRole: true`. */
  readonly apiGatewayAccount?: ApiGatewayAccountRole;
  readonly graphqlApi?: GraphqlApi;
  readonly warmer?: Warmer;
  readonly cdn?: ServiceCdn;
  /** The provider alias of us-east-1 (CloudFront metrics), in a stack of another region that needs it. */
  readonly usEast1?: AwsProvider;
  readonly alarms?: ServiceAlarms;
  readonly dashboard?: ServiceDashboard;

  /** cdktf's own three resolve passes (CACHESTACK_CDKTF_PASSES=all) instead of one; see resolve-once.ts. */
  private readonly stockPasses = stockPasses();

  constructor(scope: Construct, model: ServiceModel, assets: StackAssets) {
    super(scope, model.stackName);
    if (!this.stockPasses) assertKnownCdktf(model.stackName);
    this.model = model;
    this.names = new ResourceNames(model.stackName);

    new AwsProvider(this, 'aws', { region: model.region, defaultTags: [{ tags: defaultTags(model) }] });
    // @cdktf/provider-aws pins the exact release its bindings were generated from;
    // the stack requires what `terraform.awsProvider` says instead.
    this.addOverride('terraform.required_providers.aws.version', model.terraform.awsProvider);
    if (model.backend.kind === 's3') {
      new S3Backend(this, {
        bucket: model.backend.bucket,
        key: `${model.backend.key}/${model.stackName}.tfstate`,
        region: model.backend.region,
        encrypt: model.backend.encrypt,
      });
      // cdktf's S3Backend does not know Terraform 1.10's S3 lock file yet.
      this.addOverride('terraform.backend.s3.use_lockfile', model.backend.useLockfile);
    } else {
      new LocalBackend(this, { path: LOCAL_STATE_PATH });
    }

    for (const reserved of RESERVED_HANDLER_NAMES) {
      if (model.handlers.some((h) => h.name === reserved)) {
        throw new SynthesisError(`handler name \`${reserved}\` is reserved for the function cachestack adds itself; rename the handler`, `handlers.${reserved}`, model.stackName);
      }
    }

    this.lookups = new Lookups(this, 'lookups', model.region);
    this.network = new Network(this, 'network', { model, names: this.names, lookups: this.lookups });

    for (const cache of model.redis) {
      this.redis.set(
        cache.name,
        new RedisCache(this, constructIds.redis(cache.name), {
          cache,
          names: this.names,
          subnetIds: this.network.subnetIds,
          securityGroupId: this.network.redisSecurityGroupId(cache.name),
          stackName: model.stackName,
        }),
      );
    }
    for (const cluster of model.dax) {
      this.dax.set(
        cluster.name,
        new DaxCluster(this, constructIds.dax(cluster.name), {
          cluster,
          names: this.names,
          lookups: this.lookups,
          subnetIds: this.network.subnetIds,
          securityGroupId: this.network.daxSecurityGroupId(cluster.name),
          stackName: model.stackName,
        }),
      );
    }

    for (const handler of model.handlers) {
      const asset = assets.handlers[handler.name];
      if (!asset) {
        throw new SynthesisError(`handler \`${handler.name}\` has no packaged zip; package every handler before synthesis`, `handlers.${handler.name}.entry`, model.stackName);
      }
      const redisName = handler.connections.redis?.cache;
      const daxName = handler.connections.dax?.cluster;
      const redis = redisName !== undefined ? this.redis.get(redisName) : undefined;
      const dax = daxName !== undefined ? this.dax.get(daxName) : undefined;
      if (redisName !== undefined && !redis) throw unknownReference('redis cache', redisName, [...this.redis.keys()], `handlers.${handler.name}.connections.redis.cache`, model.stackName);
      if (daxName !== undefined && !dax) throw unknownReference('dax cluster', daxName, [...this.dax.keys()], `handlers.${handler.name}.connections.dax.cluster`, model.stackName);
      const securityGroupId = this.network.handlerSecurityGroupId(handler.name);
      const postgresSecret = handler.connections.postgres?.secret;
      this.handlers.set(
        handler.name,
        new HandlerFunction(this, constructIds.handler(handler.name), {
          handler,
          service: model.service,
          environment: model.environment,
          names: this.names,
          asset,
          vpc: runsInVpc(handler) && securityGroupId ? { subnetIds: this.network.subnetIds, securityGroupId } : undefined,
          redis: redis?.endpoint,
          dax: dax?.endpoint,
          postgresSecretIamArn: postgresSecret ? this.lookups.secretArn(postgresSecret) : undefined,
          arnContext: this.arnContext(),
          invalidation: this.invalidationOf(handler),
        }),
      );
    }

    if (model.restApi) {
      if (model.restApi.accountLogsRole) {
        this.apiGatewayAccount = new ApiGatewayAccountRole(this, 'api-gateway-account', { names: this.names, partition: this.lookups.partition, stackName: model.stackName });
      }
      this.restApi = new RestApi(this, 'rest-api', {
        stageDependsOn: this.apiGatewayAccount ? [this.apiGatewayAccount.account] : undefined,
        api: model.restApi,
        auth: model.auth,
        names: this.names,
        handlers: this.handlers,
        vpcId: model.network?.vpcId,
        stackName: model.stackName,
      });
    }
    if (model.graphqlApi) {
      this.graphqlApi = new GraphqlApi(this, 'graphql-api', {
        api: model.graphqlApi,
        auth: model.auth,
        names: this.names,
        handlers: this.handlers,
        stackName: model.stackName,
      });
    }
    if (model.cdn) {
      this.cdn = new ServiceCdn(this, 'cdn', { model, names: this.names, restApi: this.restApi });
    }
    if (hasWarmer(model)) {
      if (!assets.warmer) {
        throw new SynthesisError('the warmer is enabled but has no packaged zip; package the warmer before synthesis', 'warmer', model.stackName);
      }
      this.warmer = new Warmer(this, 'warmer', {
        warmer: model.warmer!,
        targets: model.handlers.filter((h) => h.warm).map((h) => this.handlers.get(h.name)!),
        asset: assets.warmer,
        names: this.names,
        service: model.service,
        environment: model.environment,
        stackName: model.stackName,
      });
    }

    if (model.alarms?.enabled) {
      const targets = { restApi: this.restApi, cdn: this.cdn, graphqlApi: this.graphqlApi, handlers: this.handlers, redis: this.redis, dax: this.dax };
      if (model.region !== CDN_METRICS_REGION && planAlarms(model).some((a) => a.kind === 'cdn-5xx')) {
        this.usEast1 = new AwsProvider(this, `aws-${CDN_METRICS_REGION}`, { alias: CDN_METRICS_REGION, region: CDN_METRICS_REGION, defaultTags: [{ tags: defaultTags(model) }] });
      }
      this.alarms = new ServiceAlarms(this, 'alarms', { model, targets, cdnMetricsProvider: this.usEast1 });
      if (model.alarms.dashboard) this.dashboard = new ServiceDashboard(this, 'dashboard', { model, targets });
    }

    this.addOutputs();
  }

  /**
   * Partition, region and account for the ARNs of `access`, read lazily: a
   * stack whose handlers name no resource by name gets no extra data source.
   */
  private arnContext(): ArnContext {
    const lookups = this.lookups;
    return {
      get partition() {
        return lookups.partition;
      },
      region: lookups.region,
      get account() {
        return lookups.accountId;
      },
      secretArn: (written: string) => lookups.secretArn(written),
    };
  }

  private addOutputs(): void {
    if (this.restApi) {
      new TerraformOutput(this, outputIds.restApiUrl(), { value: this.restApi.invokeUrl, description: 'invoke URL of the REST API stage' });
      // what `cachestack flush` needs (FlushStageCache takes the API id and the stage name)
      new TerraformOutput(this, outputIds.restApiId(), { value: this.restApi.api.id, description: 'id of the REST API' });
      new TerraformOutput(this, outputIds.restApiStage(), { value: this.restApi.stage.stageName, description: 'stage name of the REST API' });
    }
    const domain = this.restApi?.domainTarget;
    if (domain) {
      new TerraformOutput(this, outputIds.restDomainTarget(), { value: domain.name, description: 'the domain name a DNS record (alias or CNAME) of restApi.domain.name points at' });
      new TerraformOutput(this, outputIds.restDomainZone(), { value: domain.zoneId, description: 'hosted zone id of that target, for a Route 53 alias record' });
    }
    if (this.cdn) {
      new TerraformOutput(this, outputIds.cdnDomain(), { value: this.cdn.domainName, description: 'domain name of the CloudFront distribution (*.cloudfront.net)' });
      new TerraformOutput(this, outputIds.cdnDistributionId(), { value: this.cdn.distribution.id, description: 'id of the CloudFront distribution (for invalidations)' });
    }
    if (this.graphqlApi) {
      new TerraformOutput(this, outputIds.graphqlUrl(), { value: this.graphqlApi.url, description: 'GraphQL endpoint URL' });
      new TerraformOutput(this, outputIds.graphqlApiId(), { value: this.graphqlApi.api.id, description: 'id of the GraphQL API (FlushApiCache takes it)' });
    }
    for (const [name, cache] of this.redis) {
      new TerraformOutput(this, outputIds.redisPrimary(name), {
        value: cache.primaryHost,
        description: cache.clusterMode ? `configuration endpoint of redis cache ${name} (cluster mode)` : `primary endpoint of redis cache ${name}`,
      });
      if (cache.readerHost !== undefined) {
        new TerraformOutput(this, outputIds.redisReader(name), { value: cache.readerHost, description: `reader endpoint of redis cache ${name}` });
      }
    }
    for (const [name, cluster] of this.dax) {
      new TerraformOutput(this, outputIds.daxEndpoint(name), { value: cluster.endpointUrl, description: `endpoint URL of dax cluster ${name}` });
    }
    for (const [name, fn] of this.handlers) {
      new TerraformOutput(this, outputIds.functionName(name), { value: fn.function.functionName, description: `function of handler ${name}` });
      new TerraformOutput(this, outputIds.aliasArn(name), { value: fn.aliasArn, description: `ARN of the live alias of handler ${name}` });
    }
  }

  /**
   * cdktf's preparing pass only lets cross-stack references add resources; our
   * stacks have none, so only the backend is ensured (see resolve-once.ts).
   */
  prepareStack(): void {
    if (this.stockPasses) return super.prepareStack();
    this.ensureBackendExists();
  }

  /** cdktf's `toTerraform` without its final, redundant resolve of the merged document (see resolve-once.ts). */
  toTerraform(): unknown {
    if (this.stockPasses) return super.toTerraform();
    return toTerraformResolvedOnce(this, () => super.toTerraform());
  }

  /**
   * What a handler with `invalidates` needs of the REST API, which is built after
   * the handlers (it integrates them): lazy values that resolve at synthesis,
   * once the API exists. Terraform sees plain references to the API's id and
   * execution ARN, which do not depend on any function.
   */
  private invalidationOf(handler: ServiceModel['handlers'][number]): { stageUrl: string; region: string; methodArns: string[] } | undefined {
    if (handler.invalidates.length === 0) return undefined;
    if (!this.model.restApi) {
      throw new SynthesisError(`handler \`${handler.name}\` has \`invalidates\` but the service has no \`restApi\``, `handlers.${handler.name}.invalidates`, this.model.stackName);
    }
    const api = () => {
      if (!this.restApi) throw new SynthesisError('the REST API was not built', `handlers.${handler.name}.invalidates`, this.model.stackName);
      return this.restApi;
    };
    const targets = [...new Set(handler.invalidates.map((t) => `${t.method} ${t.path}`))].sort();
    const dnsSuffix = this.lookups.dnsSuffix;
    return {
      region: this.model.region,
      stageUrl: Lazy.stringValue({ produce: () => api().stageUrl(this.model.region, dnsSuffix) }),
      methodArns: Lazy.listValue({
        produce: () => targets.map((t) => api().methodArn(t.slice(0, t.indexOf(' ')), t.slice(t.indexOf(' ') + 1))),
      }),
    };
  }

  /** Terraform addresses from construct paths; see `logicalIdOf`. */
  protected allocateLogicalId(tfElement: TerraformElement | Node): string {
    const node = 'node' in tfElement ? tfElement.node : tfElement;
    const scopes = node.scopes;
    const components = scopes.slice(scopes.indexOf(this) + 1).map((c) => c.node.id);
    return logicalIdOf(components);
  }
}

function unknownReference(kind: string, name: string, known: string[], path: string, stackName: string): SynthesisError {
  return new SynthesisError(`${kind} \`${name}\` does not exist; ${kind === 'redis cache' ? 'caches' : 'clusters'} are: ${known.join(', ') || '(none)'}`, path, stackName);
}
