/**
 * `cachestack flush` in-process with the real AWS SDK v3 clients: AppSync
 * FlushApiCache against a `moto_server` on loopback (moto implements it and
 * refuses an API without a cache), API Gateway FlushStageCache against a
 * loopback HTTP server that checks the request (moto 5 has no FlushStageCache).
 * Ids come from a local state file the test writes as Terraform would, or from
 * the flags; nothing reaches AWS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppSyncClient, CreateApiCacheCommand, CreateGraphqlApiCommand } from '@aws-sdk/client-appsync';
import { run } from '../../src/cli/main';
import { Moto, findTools } from '../terraform/tools';
import { captureIo } from './io';

const SDL = 'type Query { me: String }\n';
const CONFIG = (extra = '') => `version: 1
service: shop
region: us-east-1
handlers:
  api:
    entry: ok.ts
restApi:
  name: api
  stage: live
  cache: {}
  endpoints:
    - { path: /items, method: GET, handler: api, auth: none, cache: { shared: true } }
graphqlApi:
  name: api
  schema: s.graphql
  auth: iam
  cache: {}
  resolvers:
    - { field: Query.me, handler: api, cache: { keys: [$context.identity.userArn] } }
${extra}`;

const found = findTools();
const motoCommand = 'missing' in found ? undefined : found.tools.moto;
const maybe = motoCommand ? describe : describe.skip;

maybe('cachestack flush', () => {
  let moto: Moto;
  let gateway: Server;
  let gatewayUrl: string;
  const calls: { method: string; url: string; auth: string }[] = [];
  let dir: string;
  let graphqlApiId: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    delete process.env.AWS_PROFILE;
    moto = await Moto.start(motoCommand!);
    gateway = createServer((req, res) => {
      calls.push({ method: req.method ?? '', url: req.url ?? '', auth: String(req.headers.authorization ?? '') });
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end();
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
    const appsync = new AppSyncClient({ region: 'us-east-1', endpoint: moto.endpoint });
    const api = await appsync.send(new CreateGraphqlApiCommand({ name: 'shop-api', authenticationType: 'AWS_IAM' }));
    graphqlApiId = api.graphqlApi!.apiId!;
    await appsync.send(new CreateApiCacheCommand({ apiId: graphqlApiId, ttl: 300, apiCachingBehavior: 'PER_RESOLVER_CACHING', type: 'SMALL' }));
    appsync.destroy();
  }, 60000);
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
    await new Promise<void>((r) => gateway.close(() => r()));
  });
  beforeEach(() => {
    calls.length = 0;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-flush-'));
    fs.writeFileSync(path.join(dir, 'ok.ts'), 'export const handler = async () => ({});\n');
    fs.writeFileSync(path.join(dir, 's.graphql'), SDL);
    fs.writeFileSync(path.join(dir, 'shop.yaml'), CONFIG());
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function writeState(outputs: Record<string, string>) {
    const stateDir = path.join(dir, 'cdktf.out', 'stacks', 'shop');
    fs.mkdirSync(stateDir, { recursive: true });
    const state = { version: 4, terraform_version: '1.10.0', serial: 3, outputs: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, { value: v, type: 'string' }])), resources: [] };
    fs.writeFileSync(path.join(stateDir, 'terraform.tfstate'), JSON.stringify(state));
  }

  const env = () => ({ AWS_ENDPOINT_URL: moto.endpoint, AWS_ENDPOINT_URL_API_GATEWAY: gatewayUrl });

  it('GIVEN a deployed stack in local state WHEN flushed THEN FlushStageCache and FlushApiCache are sent for its ids', async () => {
    writeState({ 'rest-api-id': 'abc123', 'rest-api-stage': 'live', 'graphql-api-id': graphqlApiId });
    const io = captureIo(dir, { env: env() });
    const code = await run(['flush', 'shop.yaml'], io);
    expect({ code, err: io.err }).toEqual({ code: 0, err: '' });
    expect(calls).toHaveLength(1);
    expect(calls[0].method).toBe('DELETE');
    expect(calls[0].url).toBe('/restapis/abc123/stages/live/cache/data');
    expect(calls[0].auth).toMatch(/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/apigateway\/aws4_request/);
    expect(io.out).toBe(`shop: flushed the stage cache of REST API abc123, stage live\nshop: flushed the API cache of GraphQL API ${graphqlApiId}\n`);
  });

  it('GIVEN --graphql and an id flag WHEN flushed THEN only AppSync is called; an API without a cache is refused by moto and exits 1', async () => {
    const io = captureIo(dir, { env: env() });
    expect(await run(['flush', 'shop.yaml', '--graphql', '--graphql-api-id', graphqlApiId], io)).toBe(0);
    expect(calls).toEqual([]);
    const appsync = new AppSyncClient({ region: 'us-east-1', endpoint: moto.endpoint });
    const bare = await appsync.send(new CreateGraphqlApiCommand({ name: 'bare', authenticationType: 'AWS_IAM' }));
    appsync.destroy();
    const io2 = captureIo(dir, { env: env() });
    expect(await run(['flush', 'shop.yaml', '--graphql', '--graphql-api-id', bare.graphqlApi!.apiId!], io2)).toBe(1);
    expect(io2.err).toContain('FlushApiCache of');
  });

  it('GIVEN no state file WHEN flushed THEN exit 2 says the stack has not been deployed', async () => {
    const io = captureIo(dir, { env: env() });
    expect(await run(['flush', 'shop.yaml'], io)).toBe(2);
    expect(io.err).toContain('stack `shop` has not been deployed from here');
    expect(calls).toEqual([]);
  });

  it('GIVEN a state without the REST API output WHEN --rest THEN exit 2 names the output', async () => {
    writeState({ 'graphql-api-id': graphqlApiId });
    const io = captureIo(dir, { env: env() });
    expect(await run(['flush', 'shop.yaml', '--rest'], io)).toBe(2);
    expect(io.err).toContain('no deployed REST API in its state (no `rest-api-id` output)');
  });

  it('GIVEN an S3 backend WHEN flushed without ids THEN exit 2 tells how to pass them from terraform output', async () => {
    fs.writeFileSync(path.join(dir, 'shop.yaml'), CONFIG('backend:\n  s3: { bucket: tf-state, key: shop }\n'));
    const io = captureIo(dir, { env: env() });
    expect(await run(['flush', 'shop.yaml'], io)).toBe(2);
    expect(io.err).toContain('terraform -chdir=cdktf.out/stacks/shop output -raw rest-api-id');
  });

  it('GIVEN a file with environments and no --env WHEN flushed THEN exit 2 lists them', async () => {
    fs.writeFileSync(path.join(dir, 'shop.yaml'), CONFIG('environments:\n  dev: {}\n  prod: {}\n'));
    const io = captureIo(dir, { env: env() });
    expect(await run(['flush', 'shop.yaml'], io)).toBe(2);
    expect(io.err).toContain('--env is required: name the environment to flush (dev, prod)');
  });
});
