/**
 * diff on `access`, end to end through the CLI with a base FILE: new write
 * actions, new resources and new statements widen a role and are flagged
 * `security`; removed ones narrow it and are plain changes; the text report says
 * so per handler.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { diffAccess } from '../../src/plan/diff-access';
import { captureIo } from '../cli/io';
import { handler, model } from '../support/models';

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'config/examples/course-registration.yaml'), 'utf8');
// The example reaches AWS through VPC endpoints (dynamodb, secretsmanager); here the
// VPC has a NAT, so a grant on a service without an endpoint (sqs, ses) is valid
// and the diff is about access alone.
const BASE = EXAMPLE.replace('  egress: endpoints\n  endpoints: [dynamodb, secretsmanager]\n', '  egress: nat\n');
if (BASE === EXAMPLE) throw new Error('the example no longer says `egress: endpoints`; update this test');
const PROFILE_ACCESS = '      dynamodb: [{ table: users, actions: read }]\n';

let dir: string;
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-diff-access-')));
  fs.mkdirSync(path.join(dir, 'config/examples'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'handlers', 'examples'), path.join(dir, 'handlers', 'examples'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config/examples/base.yaml'), BASE);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function head(from: string, to: string): void {
  const next = BASE.replace(from, to);
  if (next === BASE) throw new Error(`${from} not found in the example`);
  fs.writeFileSync(path.join(dir, 'config/examples/course-registration.yaml'), next);
}

async function diff(...args: string[]) {
  const io = captureIo(dir);
  const code = await run(['diff', '--base-file', 'config/examples/base.yaml', 'config/examples/course-registration.yaml', ...args], io);
  return { code, io };
}

async function accessChanges() {
  const { io } = await diff('--format', 'json');
  return JSON.parse(io.out).files[0].environments[0].changes.filter((c: any) => c.subject === 'access');
}

const USERS = 'arn:<partition>:dynamodb:us-east-1:<account>:table/users';

describe('diff: access', () => {
  it('GIVEN read widened to readwrite THEN the new write actions are flagged security', async () => {
    head(PROFILE_ACCESS, '      dynamodb: [{ table: users, actions: readwrite }]\n');
    const changes = await accessChanges();
    expect(changes.map((c: any) => [c.name, c.action, c.flags, c.message])).toEqual([
      ['profile', 'update', ['security'], `handler \`profile\` widened on ${USERS}: may now also call dynamodb:BatchWriteItem, dynamodb:DeleteItem, dynamodb:PutItem, dynamodb:UpdateItem`],
    ]);
  });

  it('GIVEN a new table and a new statement THEN each new resource is flagged security; GIVEN them gone THEN plain removals', async () => {
    const wider = `${PROFILE_ACCESS}      sqs: [{ queue: jobs, actions: send }]\n      statements: [{ actions: [ses:SendEmail], resources: ["arn:aws:ses:us-east-1:123456789012:identity/example.com"] }]\n`;
    head(PROFILE_ACCESS, wider);
    const added = await accessChanges();
    expect(added.map((c: any) => [c.action, c.flags, c.field])).toEqual([
      ['add', ['security'], 'access arn:<partition>:sqs:us-east-1:<account>:jobs'],
      ['add', ['security'], 'access arn:aws:ses:us-east-1:123456789012:identity/example.com'],
    ]);
    // the other way round: the base has them, the head does not
    fs.writeFileSync(path.join(dir, 'config/examples/base.yaml'), BASE.replace(PROFILE_ACCESS, wider));
    fs.writeFileSync(path.join(dir, 'config/examples/course-registration.yaml'), BASE);
    const removed = await accessChanges();
    expect(removed.map((c: any) => [c.action, c.flags])).toEqual([
      ['remove', []],
      ['remove', []],
    ]);
    expect(removed[0].message).toBe('handler `profile` may no longer call sqs:GetQueueUrl, sqs:SendMessage on arn:<partition>:sqs:us-east-1:<account>:jobs');
  });

  it('GIVEN readwrite narrowed to read THEN a plain change, and the text report names the handler', async () => {
    head('      dynamodb: [{ table: enrollments, actions: readwrite }]\n', '      dynamodb: [{ table: enrollments, actions: read }]\n');
    const changes = await accessChanges();
    expect(changes.map((c: any) => [c.name, c.action, c.flags])).toEqual([['enrollments', 'update', []]]);
    const { io } = await diff();
    expect(io.out).toContain('handler `enrollments` narrowed on arn:<partition>:dynamodb:us-east-1:<account>:table/enrollments: may no longer call dynamodb:BatchWriteItem, dynamodb:DeleteItem, dynamodb:PutItem, dynamodb:UpdateItem');
  });

  it('GIVEN an S3 prefix changed THEN the objects and the ListBucket condition are a new grant (security) and the old ones removed', () => {
    const base = model({ handlers: [handler('api', { access: { s3: [{ bucket: 'assets', prefix: 'a/', actions: 'read' }] } })] });
    const next = model({ handlers: [handler('api', { access: { s3: [{ bucket: 'assets', prefix: 'b/', actions: 'read' }] } })] });
    expect(diffAccess(base, next).map((c) => `${c.action} ${c.flags.join(',') || '-'} ${c.field}`)).toEqual([
      'remove - access arn:<partition>:s3:::assets (when s3:prefix StringLike a/*)',
      'add security access arn:<partition>:s3:::assets (when s3:prefix StringLike b/*)',
      'remove - access arn:<partition>:s3:::assets/a/*',
      'add security access arn:<partition>:s3:::assets/b/*',
    ]);
  });

  it('GIVEN the same access THEN no change', () => {
    const m = model({ handlers: [handler('api', { access: { secrets: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'] } })] });
    expect(diffAccess(m, m)).toEqual([]);
  });
});
