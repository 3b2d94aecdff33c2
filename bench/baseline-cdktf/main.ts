/**
 * The synth anchor of docs/benchmarks.md: a plain cdktf app for the bench service,
 * written as a cdktf user writes one by hand (its own constructs in lib/, the AWS
 * provider through its package index, `cdktf synth` running `npx tsx main.ts`).
 * It does not read cachestack's YAML and imports nothing from src/; it builds the
 * resources `cachestack synth` makes for the generated bench configs.
 *
 *   BENCH_N         endpoints and resolvers per service (default 10)
 *   BENCH_SERVICES  services, one stack each (default 1)
 */
import * as path from 'node:path';
import { App, AssetType, TerraformAsset, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { provider } from '@cdktf/provider-aws';
import { benchService, type ServiceSpec } from '../baseline-service';
import { LambdaHandler } from './lib/lambda-handler';
import { CachedRestApi } from './lib/rest-api';
import { CachedGraphqlApi } from './lib/graphql-api';
import { Dax, ValkeyCache } from './lib/caches';
import { Warmer } from './lib/warmer';

class ServiceStack extends TerraformStack {
  constructor(scope: Construct, id: string, spec: ServiceSpec) {
    super(scope, id);
    new provider.AwsProvider(this, 'aws', {
      region: spec.region,
      defaultTags: [{ tags: { service: spec.name, team: 'bench' } }],
    });
    const network = { vpcId: spec.vpcId, subnetIds: spec.subnetIds };

    const valkey = new ValkeyCache(this, 'sessions', { name: `${spec.name}-sessions`, nodeType: 'cache.t4g.small', replicas: 1, network });
    const dax = new Dax(this, 'hot', {
      name: `${spec.name}-hot`,
      nodeType: 'dax.t3.small',
      replicationFactor: 3,
      tables: ['Items'],
      region: spec.region,
      network,
    });

    const code = new TerraformAsset(this, 'code', { path: path.join(__dirname, 'handler'), type: AssetType.ARCHIVE });
    const handlers = new Map<string, LambdaHandler>();
    for (const h of spec.handlers) {
      const fn = new LambdaHandler(this, h.name, {
        functionName: `${spec.name}-${h.name}`,
        code,
        memoryMb: h.memoryMb,
        timeoutSeconds: h.timeoutSeconds,
        provisionedConcurrency: h.provisionedConcurrency,
        vpc: network,
        environment: {
          SERVICE: spec.name,
          REDIS_HOST: valkey.group.primaryEndpointAddress,
          REDIS_READER_HOST: valkey.group.readerEndpointAddress,
          REDIS_PORT: String(ValkeyCache.PORT),
          DAX_ENDPOINT: dax.endpoint,
          AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        },
        statements: [
          {
            actions: ['dax:GetItem', 'dax:BatchGetItem', 'dax:Query', 'dax:Scan', 'dax:PutItem', 'dax:UpdateItem', 'dax:DeleteItem', 'dax:BatchWriteItem', 'dax:ConditionCheckItem'],
            resources: [dax.cluster.arn],
          },
        ],
      });
      valkey.allowFrom(fn, h.name);
      dax.allowFrom(fn, h.name);
      handlers.set(h.name, fn);
    }

    const rest = new CachedRestApi(this, 'rest', {
      name: `${spec.name}-api`,
      stageName: 'prod',
      cacheSizeGb: '0.5',
      userPoolArn: spec.userPoolArn,
      throttling: { burstLimit: 5000, rateLimit: 2000 },
      routes: spec.endpoints.map((e) => ({ pathPart: e.pathPart, param: e.param, method: e.method, handler: handlers.get(e.handler)!, ttlSeconds: e.ttlSeconds })),
    });

    const graph = new CachedGraphqlApi(this, 'graph', {
      name: `${spec.name}-graph`,
      schema: spec.schema,
      region: spec.region,
      userPoolId: spec.userPoolArn.split('/').pop()!,
      cache: { type: 'SMALL', ttlSeconds: 300 },
      fields: spec.resolvers.map((r) => ({ typeName: r.typeName, fieldName: r.fieldName, handler: handlers.get(r.handler)!, ttlSeconds: r.ttlSeconds })),
    });

    new Warmer(this, 'warmer', {
      name: `${spec.name}-warmer`,
      code,
      schedule: 'rate(5 minutes)',
      concurrency: 2,
      targets: spec.handlers.filter((h) => h.warm).map((h) => handlers.get(h.name)!),
    });

    new TerraformOutput(this, 'rest-url', { value: rest.stage.invokeUrl });
    new TerraformOutput(this, 'graphql-url', { value: graph.api.uris });
    new TerraformOutput(this, 'dax-endpoint', { value: dax.endpoint });
    new TerraformOutput(this, 'redis-endpoint', { value: valkey.group.primaryEndpointAddress });
  }
}

const n = Number(process.env.BENCH_N ?? 10);
const services = Number(process.env.BENCH_SERVICES ?? 1);
const app = new App();
for (let s = 0; s < services; s++) {
  const name = services === 1 ? `bench-${n}` : `bench-${n}-s${String(s).padStart(2, '0')}`;
  new ServiceStack(app, name, benchService(name, n));
}
app.synth();
