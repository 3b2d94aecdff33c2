/**
 * Rule 13's bundle half, `access-sdk-not-granted`: the real `synth()` bundles the
 * handlers with esbuild, reads the AWS SDK imports from its metafile and warns
 * at the handler's `entry` when the role grants nothing on an imported client's
 * service. Plus the pure parts: which imports count (`sdkUses`) and which
 * package is which service (`sdkServiceOf`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { sdkServiceOf } from '../../src/config/access';
import { lineCounterOf, positionOf } from '../../src/config/diagnostics';
import { sdkUses } from '../../src/package/sdk-imports';
import { run } from '../../src/cli/main';
import { synth } from '../../src/synth';
import { captureIo } from '../cli/io';
import { writeFiles } from './helpers';

const CONFIG = `version: 1
service: store
region: us-east-1
handlers:
  files:
    entry: ../handlers/files.ts
    access:
      dynamodb: [{ table: Files, actions: read }]
  mailer:
    entry: ../handlers/mailer.ts
    access:
      statements:
        - { actions: [ses:SendEmail], resources: ["arn:aws:ses:us-east-1:123456789012:identity/example.com"] }
environments:
  dev: {}
  prod:
    handlers:
      files:
        entry: ../handlers/files.ts
`;

let project: string;
beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-sdk-grants-'));
  writeFiles(project, {
    'config/store.yaml': CONFIG,
    'handlers/files.ts': [
      "import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';",
      "import { getObject } from './s3';",
      'const db = new DynamoDBClient({});',
      "export const handler = async () => [await db.send(new GetItemCommand({ TableName: 'Files', Key: {} })), await getObject('k')];",
      '',
    ].join('\n'),
    'handlers/s3.ts': [
      "import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';",
      "import type { SNSClient } from '@aws-sdk/client-sns';",
      'const s3 = new S3Client({});',
      "export const getObject = (key: string) => s3.send(new GetObjectCommand({ Bucket: 'b', Key: key }));",
      'export type Unused = SNSClient;',
      '',
    ].join('\n'),
    'handlers/mailer.ts': "import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';\nconst ses = new SESv2Client({});\nexport const handler = async () => ses.send(new SendEmailCommand({}));\n",
  });
}, 60_000);
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe('access-sdk-not-granted (rule 13, from the bundle)', () => {
  it('GIVEN a handler whose bundle imports the S3 client without an s3 grant WHEN synthesized THEN one warning per environment that writes the entry, at that entry', async () => {
    const result = await synth([], { cwd: project, out: 'out' });
    expect(result.status).toBe('ok');
    const text = fs.readFileSync(path.join(project, 'config/store.yaml'), 'utf8');
    const lines = lineCounterOf(text);
    const found = result.diagnostics.map((d) => {
      const p = positionOf(lines, d.location.start);
      return `${d.code} ${d.severity} ${d.location.file}:${p.line}:${p.column} ${d.environment ?? '*'} ${d.path}`;
    });
    // dev takes the base's `entry` (line 6), prod its own (line 19); the type-only SNS import, the
    // granted DynamoDB client and the SES client of a statement give nothing.
    expect(found).toEqual([
      'access-sdk-not-granted warning config/store.yaml:6:12 dev handlers.files.entry',
      'access-sdk-not-granted warning config/store.yaml:19:16 prod handlers.files.entry',
    ]);
    const d = result.diagnostics[0];
    expect(d.message).toBe('handler `files` imports `@aws-sdk/client-s3` (in handlers/s3.ts), but its role grants nothing on s3; its calls would fail with AccessDenied');
    expect(d.hint).toBe('grant what the code calls in `access.s3` of handler `files`');
  }, 120_000);

  it('GIVEN the same project WHEN `cachestack synth` runs THEN it writes the stacks, exits 0 and prints the warning with its place and hint', async () => {
    const io = captureIo(project);
    const code = await run(['synth', '--out', 'out-cli'], io);
    expect(code).toBe(0);
    expect(io.err).toContain('config/store.yaml:6:12: warning[access-sdk-not-granted]: handler `files` imports `@aws-sdk/client-s3` (in handlers/s3.ts), but its role grants nothing on s3; its calls would fail with AccessDenied');
    expect(io.err).toContain('hint: grant what the code calls in `access.s3` of handler `files`');
  }, 120_000);

  it('GIVEN the grant is added WHEN synthesized again THEN there is no warning', async () => {
    fs.writeFileSync(
      path.join(project, 'config/store.yaml'),
      CONFIG.replace('      dynamodb: [{ table: Files, actions: read }]\n', '      dynamodb: [{ table: Files, actions: read }]\n      s3: [{ bucket: files-bucket, prefix: k, actions: read }]\n'),
    );
    const result = await synth([], { cwd: project, out: 'out' });
    expect(result.status).toBe('ok');
    expect(result.diagnostics).toEqual([]);
  }, 120_000);
});

describe('sdkUses and sdkServiceOf', () => {
  const cwd = '/p';
  const kitDir = '/p/node_modules/cachestack/handlers/runtime';

  it('GIVEN imports by the runtime kit and inside an SDK package THEN only the handler\'s own count, one per service', () => {
    const uses = sdkUses(
      [
        { specifier: '@aws-sdk/client-secrets-manager', importer: `${kitDir}/secrets.ts`, external: true },
        { specifier: '@aws-sdk/client-dynamodb', importer: '/p/node_modules/@amazon-dax-sdk/client-dax/dist/index.js', external: true },
        { specifier: '@amazon-dax-sdk/client-dax', importer: '/p/src/dax.ts', external: false },
        { specifier: '@aws-sdk/lib-dynamodb', importer: '/p/src/b.ts', external: true },
        { specifier: '@aws-sdk/client-dynamodb', importer: '/p/src/a.ts', external: true },
        { specifier: '@aws-sdk/types', importer: '/p/src/a.ts', external: true },
        { specifier: 'pg', importer: '/p/src/a.ts', external: false },
      ],
      { cwd, kitDir },
    );
    expect(uses).toEqual([
      { service: 'dax', specifier: '@amazon-dax-sdk/client-dax', importer: 'src/dax.ts' },
      { service: 'dynamodb', specifier: '@aws-sdk/client-dynamodb', importer: 'src/a.ts' },
    ]);
  });

  it.each([
    ['@aws-sdk/client-dynamodb', 'dynamodb'],
    ['@aws-sdk/lib-dynamodb', 'dynamodb'],
    ['@aws-sdk/client-s3', 's3'],
    ['@aws-sdk/lib-storage', 's3'],
    ['@aws-sdk/client-sqs', 'sqs'],
    ['@aws-sdk/client-sns', 'sns'],
    ['@aws-sdk/client-secrets-manager', 'secretsmanager'],
    ['@aws-sdk/client-sesv2', 'ses'],
    ['@aws-sdk/client-sfn', 'states'],
    ['@aws-sdk/client-eventbridge', 'events'],
    ['@aws-sdk/client-route-53', 'route53'],
    ['@aws-sdk/client-rds-data', 'rds-data'],
    ['@aws-sdk/client-bedrock-runtime', 'bedrock'],
    ['@aws-sdk/client-s3/dist-cjs/index.js', 's3'],
    ['@amazon-dax-sdk/client-dax', 'dax'],
    ['@aws-sdk/types', undefined],
    ['@aws-sdk/credential-providers', undefined],
    ['pg', undefined],
  ])('GIVEN %s THEN its service is %s', (specifier, service) => {
    expect(sdkServiceOf(specifier)).toBe(service);
  });
});
