/**
 * Which config changes make Terraform destroy and re-create a stateful resource.
 *
 * These are facts of the Terraform AWS provider (hashicorp/aws 6.x, which
 * @cdktf/provider-aws 21 wraps), checked against the provider's resource schemas
 * and documentation, not guessed:
 *
 * aws_elasticache_replication_group
 *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group
 *   (source: internal/service/elasticache/replication_group.go, engine_version.go)
 *   - replication_group_id: ForceNew (our name → a rename replaces the group).
 *   - at_rest_encryption_enabled: ForceNew.
 *   - port: ForceNew.
 *   - engine: replaced by a CustomizeDiff (customizeDiffEngineForceNewOnDowngrade)
 *     on every change EXCEPT redis → valkey, which is an in-place upgrade.
 *   - engine_version: updated in place; a downgrade forces a new resource
 *     (customizeDiffEngineVersionForceNewOnDowngrade).
 *   - transit_encryption_enabled, node_type, num_node_groups,
 *     replicas_per_node_group, multi_az_enabled, automatic_failover_enabled,
 *     snapshot_retention_limit, parameter_group_name, auth_token: in place.
 *
 * aws_dax_cluster
 *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dax_cluster
 *   (source: internal/service/dax/cluster.go)
 *   - cluster_name, node_type, server_side_encryption.enabled,
 *     cluster_endpoint_encryption_type, iam_role_arn, subnet_group_name: ForceNew.
 *   - replication_factor, parameter_group_name, security_group_ids: in place.
 *
 * aws_appsync_api_cache
 *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/appsync_api_cache
 *   (source: internal/service/appsync/api_cache.go)
 *   - at_rest_encryption_enabled, transit_encryption_enabled: ForceNew.
 *   - type, ttl, api_caching_behavior: in place.
 *
 * aws_api_gateway_stage
 *   https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_stage
 *   (source: internal/service/apigateway/stage.go)
 *   - stage_name, rest_api_id: ForceNew.
 *   - cache_cluster_enabled, cache_cluster_size: in place for Terraform, but API
 *     Gateway changes a cache's capacity by deleting the cache instance and
 *     creating a new one, so every cached response is dropped
 *     (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
 *
 * aws_api_gateway_rest_api, aws_appsync_graphql_api
 *   (source: internal/service/apigateway/rest_api.go, internal/service/appsync/graphql_api.go)
 *   - name: updated in place (UpdateRestApi / UpdateGraphqlApi); the API keeps its id
 *     and URL. cachestack gives each API one fixed Terraform address per stack
 *     (src/infra/service-stack.ts), so renaming `restApi.name` or
 *     `graphqlApi.name` renames in place.
 *
 * aws_lambda_function: function_name is ForceNew.
 *
 * Resource names: cachestack derives the AWS names and Terraform addresses of
 * handlers, caches and clusters from their config names (`<service>-<env>-<name>`,
 * see src/infra/naming.ts), never from list positions. Renaming one therefore
 * removes one resource and adds another: for a cache, its data goes with it.
 * Renaming the service (or moving the region) changes every name and the stack.
 */

/** One provider fact, quoted in diff output so a reviewer can check it. */
export interface ReplacementRule {
  /** Stable id, used in JSON output. */
  id: string;
  resource: string;
  attribute: string;
  /** Why, in one lower-case clause. */
  reason: string;
}

function rule(id: string, resource: string, attribute: string, reason: string): ReplacementRule {
  return { id, resource, attribute, reason };
}

export const RULES = {
  redisRename: rule('redis-rename', 'aws_elasticache_replication_group', 'replication_group_id', 'replication_group_id forces a new replication group'),
  redisAtRest: rule('redis-at-rest-encryption', 'aws_elasticache_replication_group', 'at_rest_encryption_enabled', 'at_rest_encryption_enabled forces a new replication group'),
  redisPort: rule('redis-port', 'aws_elasticache_replication_group', 'port', 'port forces a new replication group'),
  redisEngine: rule('redis-engine', 'aws_elasticache_replication_group', 'engine', 'changing engine other than redis → valkey forces a new replication group'),
  redisEngineUpgrade: rule('redis-engine-upgrade', 'aws_elasticache_replication_group', 'engine', 'redis → valkey is an in-place engine upgrade'),
  redisVersionDowngrade: rule('redis-version-downgrade', 'aws_elasticache_replication_group', 'engine_version', 'an engine_version downgrade forces a new replication group'),
  daxRename: rule('dax-rename', 'aws_dax_cluster', 'cluster_name', 'cluster_name forces a new cluster'),
  daxNodeType: rule('dax-node-type', 'aws_dax_cluster', 'node_type', 'node_type forces a new cluster'),
  daxEncryption: rule('dax-encryption', 'aws_dax_cluster', 'server_side_encryption.enabled', 'server_side_encryption and cluster_endpoint_encryption_type force a new cluster'),
  appsyncEncryption: rule('appsync-cache-encryption', 'aws_appsync_api_cache', 'at_rest_encryption_enabled / transit_encryption_enabled', 'cache encryption flags force a new API cache'),
  appsyncApiRename: rule('appsync-api-rename', 'aws_appsync_graphql_api', 'name', 'name is updated in place (the API keeps its id)'),
  stageRename: rule('stage-rename', 'aws_api_gateway_stage', 'stage_name', 'stage_name forces a new stage and stage cache'),
  stageCacheSize: rule('stage-cache-size', 'aws_api_gateway_stage', 'cache_cluster_size', 'API Gateway re-creates the cache instance to change its capacity'),
  restApiRename: rule('rest-api-rename', 'aws_api_gateway_rest_api', 'name', 'name is updated in place (the API keeps its id)'),
  handlerRename: rule('handler-rename', 'aws_lambda_function', 'function_name', 'function_name forces a new function'),
  serviceRename: rule('service-rename', '*', 'name', 'every resource name starts with the service name'),
  regionChange: rule('region-change', '*', 'region', 'every resource moves to another region'),
} as const;

/** The engine change of a replication group: in place only for redis → valkey. */
export function redisEngineChangeReplaces(before: string, after: string): boolean {
  return before !== after && !(before === 'redis' && after === 'valkey');
}
