/**
 * Rule 13 through the real loader: each `access` field written wrong reports its
 * code at the value that is wrong (line and column), with a hint; the forms the
 * docs show pass.
 */
import { MINIMAL, places, TempDir } from '../config/helpers';

let tmp: TempDir;
beforeEach(() => (tmp = new TempDir()));
afterEach(() => tmp.remove());

/** A config whose handler `api` has the given `access` lines (each indented under `access:`); `access:` is line 7. */
function load(...access: string[]) {
  tmp.write('svc.yaml', MINIMAL + ['handlers:', '  api:', '    entry: ok.ts', '    access:', ...access.map((l) => `      ${l}`), ''].join('\n'));
  return tmp.load(['svc.yaml']);
}

describe('rule 13: access', () => {
  it.each([
    ['a table index ARN', 'dynamodb: [{ table: "arn:aws:dynamodb:us-east-1:123456789012:table/T/index/I", actions: read }]', 'access-name-form 8:27', 'name the table (`T`) and list the index in `indexes: [I]`'],
    ['a table name with a slash', 'dynamodb: [{ table: "a/b", actions: read }]', 'access-name-form 8:27', 'give the table name, or its ARN `arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`'],
    ['an SNS ARN as a queue', 'sqs: [{ queue: "arn:aws:sns:us-east-1:123456789012:t", actions: send }]', 'access-name-form 8:22', 'give the queue name, or its ARN `arn:aws:sqs:REGION:ACCOUNT:NAME`'],
    ['a topic ARN without an account', 'sns: [{ topic: "arn:aws:sns:us-east-1::t", actions: publish }]', 'access-name-form 8:22', 'give the topic name, or its ARN `arn:aws:sns:REGION:ACCOUNT:NAME`'],
    ['an action wildcard', 'statements: [{ actions: ["dynamodb:Get*"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/T"] }]', 'access-wildcard 8:32', 'list each action the code calls, such as `ses:SendEmail`'],
    ['a bare "*" action', 'statements: [{ actions: ["*"], resources: ["arn:aws:dynamodb:us-east-1:123456789012:table/T"] }]', 'access-wildcard 8:32', 'list each action the code calls, such as `ses:SendEmail`'],
    ['a resource "*"', 'statements: [{ actions: [ses:SendEmail], resources: ["*"] }]', 'access-wildcard 8:60', undefined],
    ['a "?" in a resource', 'statements: [{ actions: [ses:SendEmail], resources: ["arn:aws:ses:us-east-1:123456789012:identity/exampl?.com"] }]', 'access-wildcard 8:60', undefined],
    ['an action without a service', 'statements: [{ actions: [SendEmail], resources: ["arn:aws:ses:us-east-1:123456789012:identity/example.com"] }]', 'access-name-form 8:32', 'write the action as IAM names it, such as `ses:SendEmail`'],
    ['a resource that is not an ARN', 'statements: [{ actions: [ses:SendEmail], resources: [example.com] }]', 'access-name-form 8:60', 'give the full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`'],
    ['a queue in another region', 'sqs: [{ queue: "arn:aws:sqs:eu-west-1:123456789012:jobs", actions: send }]', 'access-region 8:22', "use the resource in us-east-1, or make sure the handler's client for it is built with `region: 'eu-west-1'`"],
  ])('GIVEN %s THEN it is reported at the value', (_what, line, expected, hint) => {
    const r = load(line);
    expect(places(r)).toEqual([expected]);
    if (hint !== undefined) expect(r.diagnostics[0].hint).toBe(hint);
    expect(r.diagnostics[0].message).toMatch(/^handler `api`: /);
  });

  it.each([
    ['names of every kind', 'dynamodb: [{ table: my.table_1, actions: readwrite, indexes: [by-user] }]', 'sqs: [{ queue: jobs.fifo, actions: receive }]', 'sns: [{ topic: events, actions: publish }]'],
    ['ARNs in the region, another partition', 'dynamodb: [{ table: "arn:aws-cn:dynamodb:us-east-1:123456789012:table/Tab", actions: read }]', 'sqs: [{ queue: "arn:aws:sqs:us-east-1:123456789012:q", actions: send }]'],
    ['a statement on an S3 object and a KMS key', 'statements: [{ actions: [s3:GetObjectTagging, kms:Decrypt], resources: ["arn:aws:s3:::b/report.csv", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"] }]'],
  ])('GIVEN %s THEN nothing is reported', (_what, ...lines) => {
    expect(places(load(...lines))).toEqual([]);
  });

  it('GIVEN a prefix with "*" THEN the schema refuses it, saying cachestack adds the one "*" itself', () => {
    const r = load('s3: [{ bucket: my-bucket, prefix: "avatars/*", actions: read }]');
    expect(places(r)).toEqual(['schema-pattern 8:41']);
    expect(r.diagnostics[0].message).toContain('cachestack adds the one `*` IAM needs');
  });
});
