/**
 * `handlers.<name>.access` in the role policy: one document per handler, with
 * the statements of its connections first and then exactly the actions of
 * src/config/access.ts on ARNs in the stack's partition, region and account.
 */
import { Testing } from 'cdktf';
import { DYNAMODB_ACTIONS, DYNAMODB_INDEX_ACTIONS, S3_OBJECT_ACTIONS, SQS_ACTIONS } from '../../src/config/access';
import type { ServiceModel } from '../../src/config/model';
import { handler, model, REDIS_SECRET_ARN, NETWORK, redisCache } from './model-builder';
import { checkPolicies } from './policy-check';
import { dataOf, synth, type Json } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const STRIPE = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:stripe-AbCdEf';
const EVENTS = 'arn:aws:sns:us-east-1:123456789012:events';

function accessModel(): ServiceModel {
  return model({
    network: NETWORK,
    handlers: [
      handler('profile', {
        connections: { redis: { cache: 'sessions', poolSize: 1, commandTimeoutMs: 500, connectTimeoutMs: 2000 } },
        access: {
          dynamodb: [
            { table: 'Users', actions: 'read', indexes: ['byEmail'] },
            { table: 'arn:aws:dynamodb:us-east-1:123456789012:table/Audit', actions: 'write', indexes: [] },
          ],
          s3: [
            { bucket: 'my-assets', prefix: 'avatars/', actions: 'readwrite' },
            { bucket: 'my-assets', prefix: 'public/', actions: 'read' },
            { bucket: 'exports', actions: 'write' },
          ],
          sqs: [{ queue: 'jobs', actions: 'sendreceive' }],
          sns: [{ topic: EVENTS, actions: 'publish' }],
          secrets: [STRIPE],
          statements: [{ actions: ['ses:SendEmail'], resources: ['arn:aws:ses:us-east-1:123456789012:identity/example.com'] }],
        },
      }),
      handler('plain'),
    ],
    redis: [redisCache('sessions', { authTokenSecret: REDIS_SECRET_ARN })],
  });
}

function policyOf(tf: Json, name: string): Json[] {
  return Object.entries(dataOf(tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith(`handler_${name}_role_permissions_`))![1].statement;
}

function idStartingWith(tf: Json, type: string, prefix: string): string {
  const ids = Object.keys(dataOf(tf, type)).filter((k) => k.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0];
}

describe('handler access in the role policy', () => {
  const { tf } = synth(accessModel());
  const partition = `\${data.aws_partition.${idStartingWith(tf, 'aws_partition', 'lookups_partition_')}.partition}`;
  const account = `\${data.aws_caller_identity.${idStartingWith(tf, 'aws_caller_identity', 'lookups_caller-identity_')}.account_id}`;
  const arn = (service: string, resource: string) => `arn:${partition}:${service}:us-east-1:${account}:${resource}`;

  it('GIVEN every kind of access WHEN synthesized THEN the one policy lists exactly these statements, after the connection statements', () => {
    const statements = policyOf(tf, 'profile');
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    expect(statements.map((s) => s.sid)).toEqual([
      'Logs', 'XRay', 'VpcNetworkInterfaces', 'Secrets', 'DynamoDbRead', 'DynamoDbWrite', 'DynamoDbIndexes', 'S3ReadObjects', 'S3WriteObjects', 'S3ListBucket1', 'SqsSend', 'SqsReceive', 'SnsPublish', 'Statement1',
    ]);
    expect(bySid.DynamoDbRead).toMatchObject({ effect: 'Allow', actions: [...DYNAMODB_ACTIONS.read], resources: [arn('dynamodb', 'table/Users')] });
    expect(bySid.DynamoDbWrite).toMatchObject({ actions: [...DYNAMODB_ACTIONS.write], resources: ['arn:aws:dynamodb:us-east-1:123456789012:table/Audit'] });
    expect(bySid.DynamoDbIndexes).toMatchObject({ actions: [...DYNAMODB_INDEX_ACTIONS], resources: [`${arn('dynamodb', 'table/Users')}/index/byEmail`] });
    expect(bySid.S3ReadObjects).toMatchObject({ actions: [...S3_OBJECT_ACTIONS.read], resources: [`arn:${partition}:s3:::my-assets/avatars/*`, `arn:${partition}:s3:::my-assets/public/*`] });
    expect(bySid.S3WriteObjects).toMatchObject({ actions: [...S3_OBJECT_ACTIONS.write], resources: [`arn:${partition}:s3:::exports/*`, `arn:${partition}:s3:::my-assets/avatars/*`] });
    expect(bySid.S3ListBucket1).toEqual({
      sid: 'S3ListBucket1',
      effect: 'Allow',
      actions: ['s3:ListBucket'],
      resources: [`arn:${partition}:s3:::my-assets`],
      condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['avatars/*', 'public/*'] }],
    });
    expect(bySid.SqsSend).toMatchObject({ actions: [...SQS_ACTIONS.send], resources: [arn('sqs', 'jobs')] });
    expect(bySid.SqsReceive).toMatchObject({ actions: [...SQS_ACTIONS.receive], resources: [arn('sqs', 'jobs')] });
    expect(bySid.SnsPublish).toMatchObject({ actions: ['sns:Publish'], resources: [EVENTS] });
    expect(bySid.Statement1).toMatchObject({ actions: ['ses:SendEmail'], resources: ['arn:aws:ses:us-east-1:123456789012:identity/example.com'] });
  });

  it('GIVEN access.secrets and a redis auth secret WHEN synthesized THEN one Secrets statement names both, each by its full ARN from a lookup', () => {
    const secrets = policyOf(tf, 'profile').find((s) => s.sid === 'Secrets')!;
    expect(secrets.actions).toEqual(['secretsmanager:GetSecretValue']);
    expect(secrets.resources).toHaveLength(2);
    const looked = Object.values(dataOf(tf, 'aws_secretsmanager_secret')).map((b) => b.arn);
    expect(looked).toContain(STRIPE);
    for (const r of secrets.resources) expect(r).toMatch(/^\$\{data\.aws_secretsmanager_secret(_version)?\./);
  });

  it('GIVEN the synthesized stack WHEN the secure-default policies run THEN all pass (no "*" in a resource but the S3 object prefixes)', () => {
    const failures = checkPolicies(tf).flatMap((r) => r.failures.map((f) => `${r.id} ${f}`));
    expect(failures).toEqual([]);
    const access = policyOf(tf, 'profile').filter((s) => !['Logs', 'XRay', 'VpcNetworkInterfaces'].includes(s.sid));
    const wildcards = access.flatMap((s) => s.resources.filter((r: string) => r.includes('*')));
    expect(wildcards).toEqual([`arn:${partition}:s3:::my-assets/avatars/*`, `arn:${partition}:s3:::my-assets/public/*`, `arn:${partition}:s3:::exports/*`, `arn:${partition}:s3:::my-assets/avatars/*`]);
  });

  it('GIVEN a handler without access WHEN synthesized THEN its policy is what it was before access existed', () => {
    expect(policyOf(tf, 'plain').map((s) => s.sid)).toEqual(['Logs', 'XRay']);
  });

  it('GIVEN no handler names a resource by name WHEN synthesized THEN the stack gets no partition or account lookup', () => {
    const { tf: bare } = synth(model({ handlers: [handler('plain'), handler('arns', { access: { sns: [{ topic: EVENTS, actions: 'publish' }] } })] }));
    expect(Object.keys(dataOf(bare, 'aws_partition'))).toEqual([]);
    expect(Object.keys(dataOf(bare, 'aws_caller_identity'))).toEqual([]);
    expect(policyOf(bare, 'arns').find((s) => s.sid === 'SnsPublish')!.resources).toEqual([EVENTS]);
  });
});
