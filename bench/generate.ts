/**
 * Generated configs for the benchmarks: N endpoints and N resolvers, each cached
 * with a per-caller key, spread over ten handlers, plus a Redis cache, a DAX
 * cluster and a warmer, so every rule and every construct has work to do.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GeneratedConfig {
  dir: string;
  file: string;
  endpoints: number;
}

const HANDLERS = 10;

export function configText(n: number, service = `bench-${n}`): string {
  const lines: string[] = [];
  lines.push(
    '# yaml-language-server: $schema=../../../schema/cachestack.schema.json',
    'version: 1',
    `service: ${service}`,
    'region: us-east-1',
    'tags: { team: bench }',
    'auth:',
    '  cognito: { userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123" }',
    'network:',
    '  vpcId: vpc-0123456789abcdef0',
    '  subnetIds: [subnet-0aaa1111, subnet-0bbb2222]',
    'handlers:',
  );
  for (let h = 0; h < HANDLERS; h++) {
    lines.push(
      `  fn-${h}:`,
      '    entry: handler.ts',
      '    memoryMb: 512',
      '    timeoutSeconds: 10',
      `    warm: ${h < 3}`,
      '    vpc: true',
      '    connections:',
      '      http: { keepAlive: true, maxSockets: 50 }',
      '      redis: { cache: sessions, poolSize: 2, commandTimeoutMs: 500 }',
      '      dax: { cluster: hot }',
    );
  }
  lines.push(
    'restApi:',
    '  name: api',
    '  stage: prod',
    '  cache: { sizeGb: 0.5, ttlSeconds: 300 }',
    '  throttling: { burstLimit: 5000, rateLimit: 2000 }',
    '  endpoints:',
  );
  for (let i = 0; i < n; i++) {
    lines.push(
      `    - path: /items${i}/{itemId}`,
      '      method: GET',
      `      handler: fn-${i % HANDLERS}`,
      '      auth: cognito',
      `      cache: { ttlSeconds: ${60 + (i % 10) * 30}, keys: [path.itemId, header.Authorization] }`,
    );
  }
  lines.push(
    'graphqlApi:',
    '  name: graph',
    '  schema: schema.graphql',
    '  auth: cognito',
    '  cache: { behavior: per-resolver, type: SMALL, ttlSeconds: 300 }',
    '  resolvers:',
  );
  for (let i = 0; i < n; i++) {
    lines.push(
      `    - field: Query.item${i}`,
      `      handler: fn-${i % HANDLERS}`,
      '      cache: { ttlSeconds: 300, keys: [$context.identity.sub, $context.arguments.id] }',
    );
  }
  lines.push(
    'redis:',
    '  sessions:',
    '    engine: valkey',
    '    nodeType: cache.t4g.small',
    '    replicasPerShard: 1',
    '    keys:',
    '      - { pattern: "session:{token}", ttlSeconds: 86400 }',
    '      - { pattern: "item:{itemId}", ttlSeconds: 300 }',
    'dax:',
    '  hot:',
    '    nodeType: dax.t3.small',
    '    replicationFactor: 3',
    '    tables: [Items]',
    'warmer:',
    '  schedule: rate(5 minutes)',
    '  concurrency: 2',
    '',
  );
  return lines.join('\n');
}

export function schemaText(n: number): string {
  const fields: string[] = [];
  for (let i = 0; i < n; i++) fields.push(`  item${i}(id: ID!): Item`);
  return ['type Item {', '  id: ID!', '  name: String', '}', '', 'type Query {', ...fields, '}', ''].join('\n');
}

const HANDLER_SOURCE = `// A bench handler: returns the event's path.
export async function handler(event: { path?: string }): Promise<{ statusCode: number; body: string }> {
  return { statusCode: 200, body: JSON.stringify({ path: event.path ?? null }) };
}
`;

/** Writes bench/.out/gen-<n>/{bench.yaml, schema.graphql, handler.ts}. */
export function writeGeneratedConfig(root: string, n: number): GeneratedConfig {
  const dir = join(root, `gen-${n}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.yaml'), configText(n));
  writeFileSync(join(dir, 'schema.graphql'), schemaText(n));
  writeFileSync(join(dir, 'handler.ts'), HANDLER_SOURCE);
  return { dir, file: join(dir, 'bench.yaml'), endpoints: n };
}

/**
 * Writes bench/.out/many-<services>x<n>/: one config per service (`bench-<n>-s00`,
 * `bench-<n>-s01`, …, the stack names the anchor apps use for BENCH_SERVICES), each
 * with n endpoints and n resolvers, sharing one schema.graphql and handler.ts, for
 * one `cachestack synth` call over the directory.
 */
export function writeManyConfigs(root: string, services: number, n: number): { dir: string; files: string[] } {
  const dir = join(root, `many-${services}x${n}`);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let s = 0; s < services; s++) {
    const file = join(dir, `svc-${String(s).padStart(2, '0')}.yaml`);
    writeFileSync(file, configText(n, `bench-${n}-s${String(s).padStart(2, '0')}`));
    files.push(file);
  }
  writeFileSync(join(dir, 'schema.graphql'), schemaText(n));
  writeFileSync(join(dir, 'handler.ts'), HANDLER_SOURCE);
  return { dir, files };
}
