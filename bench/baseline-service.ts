/**
 * What the bench service looks like, built from N the way a team would keep it in
 * code: ten handlers (the first three kept warm by a scheduled pinger), N cached
 * GET endpoints and N cached GraphQL resolvers spread over them, one Valkey cache,
 * one DAX cluster. The same service as bench/generate.ts writes in YAML for
 * cachestack, kept here by hand: the two anchor apps (bench/baseline-cdktf and
 * bench/baseline-awscdk) build from it and neither reads our YAML nor imports src/.
 */
export interface HandlerSpec {
  name: string;
  memoryMb: number;
  timeoutSeconds: number;
  warm: boolean;
  /** Execution environments kept initialized on the `live` alias; 0 means none. */
  provisionedConcurrency: number;
}

export interface EndpointSpec {
  pathPart: string;
  param: string;
  method: 'GET';
  handler: string;
  ttlSeconds: number;
}

export interface ResolverSpec {
  typeName: string;
  fieldName: string;
  handler: string;
  ttlSeconds: number;
}

export interface ServiceSpec {
  name: string;
  region: string;
  userPoolArn: string;
  vpcId: string;
  subnetIds: string[];
  handlers: HandlerSpec[];
  endpoints: EndpointSpec[];
  resolvers: ResolverSpec[];
  schema: string;
}

const HANDLERS = 10;

export function benchService(name: string, n: number): ServiceSpec {
  const handlers: HandlerSpec[] = [];
  for (let h = 0; h < HANDLERS; h++) {
    handlers.push({ name: `fn-${h}`, memoryMb: 512, timeoutSeconds: 10, warm: h < 3, provisionedConcurrency: 0 });
  }
  const endpoints: EndpointSpec[] = [];
  const resolvers: ResolverSpec[] = [];
  const fields: string[] = [];
  for (let i = 0; i < n; i++) {
    endpoints.push({ pathPart: `items${i}`, param: 'itemId', method: 'GET', handler: `fn-${i % HANDLERS}`, ttlSeconds: 60 + (i % 10) * 30 });
    resolvers.push({ typeName: 'Query', fieldName: `item${i}`, handler: `fn-${i % HANDLERS}`, ttlSeconds: 300 });
    fields.push(`  item${i}(id: ID!): Item`);
  }
  return {
    name,
    region: 'us-east-1',
    userPoolArn: 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123',
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-0aaa1111', 'subnet-0bbb2222'],
    handlers,
    endpoints,
    resolvers,
    schema: ['type Item {', '  id: ID!', '  name: String', '}', '', 'type Query {', ...fields, '}', ''].join('\n'),
  };
}
