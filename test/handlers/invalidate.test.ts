/**
 * The runtime kit's `invalidateEndpoint` against a loopback HTTP server standing
 * in for an API Gateway stage. The server checks what API Gateway checks: the
 * `Cache-Control: max-age=0` header and a SigV4 signature for the service
 * `execute-api` in the stage's region, which this test recomputes from the
 * request it received (node:crypto, independently of the SDK's signer), so a
 * request signed with another key, region, service, path or header fails.
 */
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENV, decodeHandlerEnvironment } from '../../handlers/runtime/contract';
import { invalidateEndpoint, InvalidationError } from '../../handlers/runtime/invalidate';

const credentials = { accessKeyId: 'AKIDINVALIDATE', secretAccessKey: 'invalidate-secret' };
const REGION = 'eu-west-1';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

const hex = (data: string) => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** SigV4 as the AWS documentation describes it, for a request without a body. */
function expectedSignature(seen: Seen, signed: { headers: string[]; date: string; scope: string }, secret: string, excludeQuery: string[] = []): string {
  const canonicalUri = seen.path.split('/').map((s) => enc(s)).join('/'); // non-S3: the path as sent, encoded once more
  const pairs = [...seen.query.entries()].filter(([k]) => !excludeQuery.includes(k)).map(([k, v]) => [enc(k), enc(v)] as const);
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  const canonicalQuery = pairs.map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = signed.headers.map((h) => `${h}:${String(seen.headers[h]).trim().replace(/\s+/g, ' ')}\n`).join('');
  const payloadHash = (seen.headers['x-amz-content-sha256'] as string | undefined) ?? hex('');
  const canonical = [seen.method, canonicalUri, canonicalQuery, canonicalHeaders, signed.headers.join(';'), payloadHash].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', signed.date, signed.scope, hex(canonical)].join('\n');
  const [day, region, service] = signed.scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, day), region), service), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

describe('invalidateEndpoint', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  let status = 200;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    status = 200;
  });

  const stage = () => ({ stageUrl: `${base}/prod`, region: REGION });

  it('GIVEN an endpoint WHEN invalidated THEN one GET to the stage path carries max-age=0 and a valid execute-api SigV4 header signature', async () => {
    const result = await invalidateEndpoint('GET', '/users/42', { stage: stage(), credentials, query: { view: 'full' }, signingDate: new Date('2026-12-07T06:00:00Z') });
    expect(result).toEqual({ status: 200, url: `${base}/prod/users/42` });
    expect(seen).toHaveLength(1);
    const s = seen[0];
    expect(s.method).toBe('GET');
    expect(s.path).toBe('/prod/users/42');
    expect(s.query.get('view')).toBe('full');
    expect(s.headers['cache-control']).toBe('max-age=0');
    expect(s.headers['x-amz-date']).toBe('20261207T060000Z');
    const auth = String(s.headers.authorization);
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8}\/[^/]+\/[^/]+\/aws4_request), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
    expect(m).not.toBeNull();
    const [, keyId, scope, signedHeaders, signature] = m!;
    expect(keyId).toBe(credentials.accessKeyId);
    expect(scope).toBe(`20261207/${REGION}/execute-api/aws4_request`);
    expect(signedHeaders.split(';')).toEqual(expect.arrayContaining(['cache-control', 'host', 'x-amz-date']));
    expect(signature).toBe(expectedSignature(s, { headers: signedHeaders.split(';'), date: '20261207T060000Z', scope }, credentials.secretAccessKey));
    // The same request signed with another secret does not verify: the check can fail.
    expect(signature).not.toBe(expectedSignature(s, { headers: signedHeaders.split(';'), date: '20261207T060000Z', scope }, 'another-secret'));
  });

  it('GIVEN the caller\'s Authorization header (a cache key) WHEN invalidated THEN the header is passed through and the signature goes in the query string', async () => {
    await invalidateEndpoint('GET', '/profile', { stage: stage(), credentials, headers: { Authorization: 'Bearer user-token' }, signingDate: new Date('2026-12-07T06:00:00Z') });
    const s = seen[0];
    expect(s.headers.authorization).toBe('Bearer user-token');
    expect(s.headers['cache-control']).toBe('max-age=0');
    expect(s.query.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(s.query.get('X-Amz-Credential')).toBe(`${credentials.accessKeyId}/20261207/${REGION}/execute-api/aws4_request`);
    const signedHeaders = s.query.get('X-Amz-SignedHeaders')!.split(';');
    expect(signedHeaders).toEqual(['cache-control', 'host']);
    const signature = s.query.get('X-Amz-Signature')!;
    expect(signature).toBe(
      expectedSignature(
        s,
        { headers: signedHeaders, date: s.query.get('X-Amz-Date')!, scope: `20261207/${REGION}/execute-api/aws4_request` },
        credentials.secretAccessKey,
        ['X-Amz-Signature'],
      ),
    );
  });

  it('GIVEN API Gateway answers 403 WHEN invalidated THEN InvalidationError says the endpoint may not be granted', async () => {
    status = 403;
    await expect(invalidateEndpoint('GET', '/profile', { stage: stage(), credentials })).rejects.toThrow(InvalidationError);
    await expect(invalidateEndpoint('GET', '/profile', { stage: stage(), credentials })).rejects.toThrow(/invalidates/);
  });

  it('GIVEN the environment synthesis writes THEN the kit reads the stage from it; without it, a clear error', async () => {
    const settings = decodeHandlerEnvironment({ [ENV.restStageUrl]: `${base}/v1`, [ENV.restRegion]: REGION });
    await invalidateEndpoint('GET', '/', { stage: settings.restApi, credentials });
    expect(seen[0].path).toBe('/v1/');
    await expect(invalidateEndpoint('GET', '/x', { stage: decodeHandlerEnvironment({}).restApi, credentials })).rejects.toThrow(/invalidates/);
  });
});
