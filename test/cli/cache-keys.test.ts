/**
 * Issue 9, "Cache-key completeness": a cached `GET /users/{userId}/card` with
 * `shared: true` and no keys used to validate clean under `--strict` and synthesize
 * `cache_key_parameters = []`, so every userId got the first user's card. Through
 * the real command line: validate refuses it, synth writes nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/main';
import { captureIo } from './io';

const CARD = `version: 1
service: cards
region: us-east-1
auth:
  cognito: { userPoolArn: "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123" }
handlers:
  api:
    entry: api.ts
restApi:
  name: cards
  cache: { sizeGb: 0.5 }
  endpoints:
    - path: /users/{userId}/card
      method: GET
      handler: api
      cache: { ttlSeconds: 300, shared: true }
`;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cachestack-cache-keys-'));
  mkdirSync(join(dir, 'config'));
  writeFileSync(join(dir, 'config', 'api.ts'), 'export const handler = async () => ({ statusCode: 200, body: "{}" });\n');
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(argv: string[]) {
  const io = captureIo(dir, {});
  const code = await run(argv, io);
  return { code, out: io.out, err: io.err };
}

describe('issue 9: a cached path parameter that is not a cache key', () => {
  it('GIVEN the card endpoint WHEN validated with --strict THEN it exits 1 with cache-key-incomplete at the cache line', async () => {
    writeFileSync(join(dir, 'config', 'cards.yaml'), CARD);
    const { code, out } = await cli(['validate', '--strict', 'config/cards.yaml']);
    expect(code).toBe(1);
    expect(out).toContain('config/cards.yaml:16:7: error[cache-key-incomplete]: endpoint `GET /users/{userId}/card` is cached, but path parameter `userId` is not a cache key');
    expect(out).toContain('field: restApi.endpoints[0].cache');
    expect(out).toContain('hint: add `path.userId` to `keys`');
  });

  it('GIVEN the card endpoint WHEN synthesized THEN it exits 1 and writes no output', async () => {
    writeFileSync(join(dir, 'config', 'cards.yaml'), CARD);
    const { code } = await cli(['synth', 'config/cards.yaml', '--out', 'out']);
    expect(code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('GIVEN the card endpoint keyed on path.userId WHEN validated with --strict THEN it is valid', async () => {
    writeFileSync(join(dir, 'config', 'cards.yaml'), CARD.replace('shared: true', 'shared: true, keys: [path.userId]'));
    const { code, out } = await cli(['validate', '--strict', 'config/cards.yaml']);
    expect({ code, out }).toEqual({ code: 0, out: 'config/cards.yaml: valid\n1 file checked: valid\n' });
  });
});
