/**
 * The bench's AWS CDK anchor (bench/baseline-awscdk) must synthesize the bench
 * service to CloudFormation: really synthesized here for N = 3 (offline, no
 * lookups, no bundling), its template's resource types and counts checked; for
 * two services at once, as the many-services row runs it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTypes, runAnchor } from './anchors';

/** What the template holds for N endpoints and N resolvers over ten handlers (N >= 10 for the data sources). */
function expected(n: number): Record<string, number> {
  return {
    'AWS::ApiGateway::RestApi': 1,
    'AWS::ApiGateway::Authorizer': 1,
    'AWS::ApiGateway::Resource': 2 * n, // /itemsI and /itemsI/{itemId}
    'AWS::ApiGateway::Method': n, // the integration and its cache key are part of the method
    'AWS::ApiGateway::Deployment': 1,
    'AWS::ApiGateway::Stage': 1, // cache cluster and per-method cache settings are part of the stage
    'AWS::AppSync::GraphQLApi': 1,
    'AWS::AppSync::GraphQLSchema': 1,
    'AWS::AppSync::ApiCache': 1,
    'AWS::AppSync::DataSource': Math.min(n, 10),
    'AWS::AppSync::Resolver': n,
    'AWS::Lambda::Function': 11, // ten handlers and the warmer
    'AWS::Lambda::Version': 10,
    'AWS::Lambda::Alias': 10,
    'AWS::Lambda::Permission': n + 1, // API Gateway per method (the L2 integration's way), EventBridge for the warmer
    'AWS::Logs::LogGroup': 15, // eleven functions, access and execution log, AppSync, Valkey slow log
    'AWS::IAM::Role': 14, // eleven functions, DAX, AppSync logging, AppSync data sources
    'AWS::IAM::Policy': 14,
    'AWS::EC2::SecurityGroup': 12, // ten handlers, Valkey, DAX
    'AWS::EC2::SecurityGroupIngress': 20, // Valkey and DAX from each handler
    'AWS::EC2::SecurityGroupEgress': 20, // each handler to Valkey and DAX (HTTPS out is inline)
    'AWS::ElastiCache::ReplicationGroup': 1,
    'AWS::ElastiCache::SubnetGroup': 1,
    'AWS::ElastiCache::ParameterGroup': 1,
    'AWS::DAX::Cluster': 1,
    'AWS::DAX::SubnetGroup': 1,
    'AWS::DAX::ParameterGroup': 1,
    'AWS::Events::Rule': 1,
  };
}

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}

describe('bench/baseline-awscdk (the AWS CDK synth anchor)', () => {
  let dir: string;
  let template: Template;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cachestack-anchor-awscdk-'));
    runAnchor('baseline-awscdk/app.ts', 3, dir, 2);
    template = JSON.parse(readFileSync(join(dir, 'bench-3-s00.template.json'), 'utf8')) as Template;
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN N=3 WHEN the app synthesizes THEN the template has exactly the expected resource types and counts', () => {
    expect(countTypes(Object.values(template.Resources).map((r) => r.Type))).toEqual(expected(3));
  });

  it('GIVEN two services WHEN the app synthesizes THEN each has its own template with the same resources', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort()).toEqual(['bench-3-s00.template.json', 'bench-3-s01.template.json']);
    const second = JSON.parse(readFileSync(join(dir, 'bench-3-s01.template.json'), 'utf8')) as Template;
    expect(countTypes(Object.values(second.Resources).map((r) => r.Type))).toEqual(expected(3));
  });

  it('GIVEN N=3 WHEN the app synthesizes THEN the stage caches each method with its own TTL', () => {
    const stage = Object.values(template.Resources).find((r) => r.Type === 'AWS::ApiGateway::Stage')!;
    expect(stage.Properties?.CacheClusterEnabled).toBe(true);
    const settings = stage.Properties?.MethodSettings as { ResourcePath: string; CachingEnabled?: boolean; CacheTtlInSeconds?: number }[];
    const cached = settings.filter((s) => s.CachingEnabled).map((s) => [s.ResourcePath, s.CacheTtlInSeconds]);
    expect(cached).toEqual([
      ['/~1items0~1{itemId}', 60],
      ['/~1items1~1{itemId}', 90],
      ['/~1items2~1{itemId}', 120],
    ]);
  });

  it('GIVEN N=3 WHEN the app synthesizes THEN every resolver is cached by caller and argument', () => {
    const resolvers = Object.values(template.Resources).filter((r) => r.Type === 'AWS::AppSync::Resolver');
    expect(resolvers.map((r) => r.Properties?.CachingConfig)).toEqual(
      Array(3).fill({ Ttl: 300, CachingKeys: ['$context.identity.sub', '$context.arguments.id'] }),
    );
  });
});
