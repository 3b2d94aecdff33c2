/**
 * config/examples/goalsguild-user-service.yaml (seed: "User Service Performance
 * Optimization Summary", /work/shared/seeds/000_*.txt), synthesized once through
 * the real pipeline. The seed's Terraform and boto3 settings, which the file
 * restates, appear in the stack:
 * - `aws_api_gateway_integration.profile_get_integration`: cache key
 *   `method.request.header.Authorization`, namespace `user-profile`;
 * - `aws_api_gateway_method_settings.profile_get_caching`: caching on, 300 s,
 *   encrypted, authorization required for cache control;
 * - AppSync resolvers myProfile and me 300 s on `$context.identity.sub`, user 600 s
 *   on `$context.identity.sub` + `$context.arguments.userId`;
 * - AWS_CONFIG: keep-alive, pool 50, connect 10 s, read 30 s, 3 adaptive retries.
 */
import { expectEndpointsAsWritten, readYaml, synthesizeConfig, type TfStack } from './support';

const FILE = 'config/examples/goalsguild-user-service.yaml';
const doc = readYaml(FILE);

let stack: TfStack;
let warnings: string[];

beforeAll(async () => {
  const result = await synthesizeConfig(FILE);
  expect([...result.stacks.keys()]).toEqual(['goalsguild-users']);
  stack = result.stacks.get('goalsguild-users')!;
  warnings = result.warnings;
}, 120_000);

describe(`${FILE} in Terraform`, () => {
  it('GIVEN the file WHEN synthesized THEN one stack (no environments) and no warning', () => {
    expect(doc.environments).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('GIVEN the seed\'s profile_get_caching WHEN the GET /profile method settings are read THEN caching is on, TTL 300, encrypted, authorization required (403 otherwise)', () => {
    expect(stack.methodSettings('GET', '/profile')).toEqual(
      expect.objectContaining({
        caching_enabled: true,
        cache_ttl_in_seconds: 300,
        cache_data_encrypted: true,
        require_authorization_for_cache_control: true,
        unauthorized_cache_control_header_strategy: 'FAIL_WITH_403',
      }),
    );
  });

  it('GIVEN the seed\'s profile_get_integration WHEN the integration and method are read THEN the cache key is the Authorization header, declared on the method, in namespace user-profile', () => {
    const integration = stack.integration('GET', '/profile');
    expect(integration.cache_key_parameters).toEqual(['method.request.header.Authorization']);
    expect(integration.cache_namespace).toBe('user-profile');
    const method = stack.method('GET', '/profile');
    expect(method.request_parameters).toEqual({ 'method.request.header.Authorization': false });
    expect(method.authorization).toBe('COGNITO_USER_POOLS');
    expect(stack.deref(method.authorizer_id).provider_arns).toEqual([doc.auth.cognito.userPoolArn]);
  });

  it('GIVEN every endpoint of the file WHEN read from the stack THEN settings, cache keys, namespace and request parameters are as written', () => {
    expectEndpointsAsWritten(stack, doc);
  });

  it('GIVEN the stage cache WHEN the stage is read THEN the 0.5 GB cluster is on and the stage-wide settings cache nothing', () => {
    expect(stack.stage()).toEqual(expect.objectContaining({ cache_cluster_enabled: true, cache_cluster_size: String(doc.restApi.cache.sizeGb) }));
    expect(stack.stage().cache_cluster_size).toBe('0.5');
    expect(stack.stageWideSettings()).toEqual(expect.objectContaining({ caching_enabled: false, cache_data_encrypted: true }));
  });

  it('GIVEN per-resolver caching WHEN the AppSync cache is read THEN PER_RESOLVER_CACHING, 300 s, encrypted at rest and in transit, type SMALL', () => {
    expect(stack.appsyncCache()).toEqual(
      expect.objectContaining({
        api_caching_behavior: 'PER_RESOLVER_CACHING',
        ttl: 300,
        at_rest_encryption_enabled: true,
        transit_encryption_enabled: true,
        // The file names no type: the documented default.
        type: 'SMALL',
      }),
    );
    expect(stack.appsyncCache().ttl).toBe(doc.graphqlApi.cache.ttlSeconds);
  });

  it('GIVEN the three cached resolvers WHEN read THEN myProfile and me cache 300 s on the caller and user 600 s on the caller and userId', () => {
    expect(stack.resolver('Query.myProfile').caching_config).toEqual({ ttl: 300, caching_keys: ['$context.identity.sub'] });
    expect(stack.resolver('Query.me').caching_config).toEqual({ ttl: 300, caching_keys: ['$context.identity.sub'] });
    expect(stack.resolver('Query.user').caching_config).toEqual({ ttl: 600, caching_keys: ['$context.identity.sub', '$context.arguments.userId'] });
    for (const r of doc.graphqlApi.resolvers.filter((x: { cache?: unknown }) => x.cache)) {
      expect({ field: r.field, caching: stack.resolver(r.field).caching_config }).toEqual({ field: r.field, caching: { ttl: r.cache.ttlSeconds, caching_keys: r.cache.keys } });
    }
    expect(stack.all('aws_appsync_resolver')).toHaveLength(doc.graphqlApi.resolvers.length);
  });

  it('GIVEN "profile updates invalidate user-specific caches" WHEN the user-service role and environment are read THEN it may InvalidateCache on GET /profile only, and knows the stage URL', () => {
    const grants = stack.roleStatements(stack.lambda('user-service').role).filter((st) => st.actions.includes('execute-api:InvalidateCache'));
    expect(grants).toHaveLength(1);
    expect(grants[0].actions).toEqual(['execute-api:InvalidateCache']);
    expect(grants[0].resources).toHaveLength(1);
    expect(grants[0].resources[0]).toMatch(/^\$\{aws_api_gateway_rest_api\.[^.]+\.execution_arn\}\/v1\/GET\/profile$/);
    expect(stack.env('user-service').CACHESTACK_REST_STAGE_URL).toMatch(/^https:\/\/\$\{aws_api_gateway_rest_api\.[^.]+\.id\}\.execute-api\.us-east-1\.\$\{data\.aws_partition\.[^.]+\.dns_suffix\}\/v1$/);
    expect(stack.methodSettings('PUT', '/profile').caching_enabled).toBe(false);
  });

  it('GIVEN Mutation.updateProfile with evicts WHEN its resolver is read THEN it is APPSYNC_JS on the user-service data source and evicts myProfile, me and the caller\'s user entry', () => {
    const r = stack.resolver('Mutation.updateProfile');
    expect(r.runtime).toEqual({ name: 'APPSYNC_JS', runtime_version: '1.0.0' });
    expect(r.caching_config).toBeUndefined();
    expect(r.code).toContain('extensions.evictFromApiCache("Query", "myProfile", {\n    "context.identity.sub": valueAt(ctx, ["identity","sub"]),');
    expect(r.code).toContain('extensions.evictFromApiCache("Query", "me", {');
    expect(r.code).toContain('"context.arguments.userId": valueAt(ctx, ["identity","sub"]),');
    expect(stack.resolver('Query.me').code).toBeUndefined();
  });

  it('GIVEN the seed\'s AWS_CONFIG WHEN the user-service function\'s environment is read THEN keep-alive, 50 sockets, 10 s connect, 30 s read, 4 adaptive attempts (botocore\'s max_attempts 3 counts retries only)', () => {
    expect(stack.env('user-service')).toEqual(
      expect.objectContaining({
        CACHESTACK_HTTP_KEEP_ALIVE: 'true',
        CACHESTACK_HTTP_MAX_SOCKETS: '50',
        CACHESTACK_HTTP_CONNECT_TIMEOUT_MS: '10000',
        CACHESTACK_HTTP_REQUEST_TIMEOUT_MS: '30000',
        CACHESTACK_RETRY_MAX_ATTEMPTS: '4',
        CACHESTACK_RETRY_MODE: 'adaptive',
      }),
    );
    const c = doc.handlers['user-service'].connections;
    expect(c).toEqual({ http: { keepAlive: true, maxSockets: 50, connectTimeoutMs: 10000, requestTimeoutMs: 30000 }, retries: { maxAttempts: 4, mode: 'adaptive' } });
  });

  it('GIVEN what the seed leaves as future ideas WHEN the stack is read THEN there is no Redis, DAX or provisioned concurrency', () => {
    expect(stack.all('aws_elasticache_replication_group')).toEqual([]);
    expect(stack.all('aws_dax_cluster')).toEqual([]);
    expect(stack.all('aws_lambda_provisioned_concurrency_config')).toEqual([]);
  });

  it('GIVEN the seed\'s Python service WHEN the function is read THEN it runs user_service.handler on python3.13 from its zip, and the warmer pings it', () => {
    expect(stack.lambda('user-service')).toEqual(expect.objectContaining({ handler: 'user_service.handler', runtime: 'python3.13', architectures: ['arm64'] }));
    expect(stack.lambda('user-service').filename).toMatch(/^\$\{path\.module\}\/assets\/user-service-[0-9a-f]{8}\.zip$/);
    expect(stack.warmer()!.input.targets).toEqual(['user-service']);
  });

  it('GIVEN the file\'s tags WHEN the provider is read THEN they are default tags of every resource', () => {
    expect(stack.tf.provider.aws[0].default_tags[0].tags).toEqual(expect.objectContaining(doc.tags));
    expect(doc.tags).toEqual({ project: 'goalsguild', component: 'user-service' });
  });
});
