/**
 * src/config/access.ts: the keyword action lists, names versus ARNs, the one
 * allowed wildcard form, and `accessServices` (what rule 14 asks of endpoints).
 */
import { accessServices, actionsOf, grantedIamPrefixes, isAllowedWildcardResource, resolveRef } from '../../src/config/access';
import { daxCluster, handler, redisCache } from '../support/models';

describe('access keywords', () => {
  it.each([
    ['dynamodb', 'read', ['dynamodb:BatchGetItem', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']],
    ['dynamodb', 'write', ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:DescribeTable', 'dynamodb:PutItem', 'dynamodb:UpdateItem']],
    ['s3', 'read', ['s3:GetObject', 's3:ListBucket']],
    ['s3', 'readwrite', ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']],
    ['sqs', 'send', ['sqs:GetQueueUrl', 'sqs:SendMessage']],
    ['sqs', 'sendreceive', ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage']],
    ['sns', 'publish', ['sns:Publish']],
  ] as const)('GIVEN %s %s THEN it grants exactly the documented actions, none a wildcard', (service, keyword, expected) => {
    const actions = actionsOf(service, keyword);
    expect(actions).toEqual(expected);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });
});

describe('names and ARNs', () => {
  it.each([
    ['table', 'Users', true],
    ['table', 'arn:aws:dynamodb:us-east-1:123456789012:table/Users', true],
    ['table', 'arn:aws:dynamodb:us-east-1:123456789012:table/Users/index/byEmail', false],
    ['table', 'arn:aws:s3:::Users', false],
    ['table', 'Us', false],
    ['queue', 'jobs.fifo', true],
    ['queue', 'arn:aws-cn:sqs:cn-north-1:123456789012:jobs', true],
    ['queue', 'jobs/x', false],
    ['topic', 'arn:aws:sns:us-east-1:123456789012:events', true],
    ['topic', 'arn:aws:sns:us-east-1::events', false],
  ] as const)('GIVEN a %s `%s` THEN accepted is %s', (kind, value, ok) => {
    expect(resolveRef(kind, value).ok).toBe(ok);
  });

  it.each([
    ['arn:aws:s3:::bucket/avatars/*', true],
    ['arn:aws:s3:::bucket/*', true],
    ['arn:${data.aws_partition.p.partition}:s3:::bucket/a/*', true],
    ['arn:aws:s3:::bucket/a*/b*', false],
    ['arn:aws:s3:::bucket*', false],
    ['arn:aws:dynamodb:us-east-1:123456789012:table/T/index/*', false],
    ['*', false],
  ])('GIVEN the resource %s THEN it is the allowed S3 prefix form: %s', (resource, ok) => {
    expect(isAllowedWildcardResource(resource)).toBe(ok);
  });
});

describe('accessServices and grantedIamPrefixes', () => {
  it('GIVEN every kind of access THEN accessServices names each endpoint service, statements by their endpoint names', () => {
    const h = handler('api', {
      access: {
        dynamodb: [{ table: 'Users', actions: 'read', indexes: [] }],
        s3: [{ bucket: 'my-bucket', actions: 'read' }],
        sqs: [{ queue: 'jobs', actions: 'send' }],
        sns: [{ topic: 'events', actions: 'publish' }],
        secrets: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf'],
        statements: [{ actions: ['ses:SendEmail', 'cloudwatch:PutMetricData', 'kms:Decrypt'], resources: ['arn:aws:kms:us-east-1:123456789012:key/1'] }],
      },
    });
    expect([...accessServices(h)].sort()).toEqual(['dynamodb', 'email', 'kms', 'monitoring', 's3', 'secretsmanager', 'sns', 'sqs']);
  });

  it('GIVEN no access THEN accessServices is empty, whatever the connections', () => {
    const h = handler('api', { connections: { dax: { cluster: 'hot', requestTimeoutMs: 1000 } } });
    expect([...accessServices(h)]).toEqual([]);
  });

  it('GIVEN connections THEN the role grants secretsmanager for a redis auth secret or a postgres secret, and dax (not dynamodb) for a cluster', () => {
    const model = { redis: [redisCache('auth', { authTokenSecret: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:r' }), redisCache('open')], dax: [daxCluster('hot', ['T'])] };
    const viaRedis = handler('a', { connections: { redis: { cache: 'auth', poolSize: 1, commandTimeoutMs: 1, connectTimeoutMs: 1 } } });
    const openRedis = handler('b', { connections: { redis: { cache: 'open', poolSize: 1, commandTimeoutMs: 1, connectTimeoutMs: 1 } } });
    const viaDax = handler('c', { connections: { dax: { cluster: 'hot', requestTimeoutMs: 1 } } });
    expect([...grantedIamPrefixes(viaRedis, model)]).toEqual(['secretsmanager']);
    expect([...grantedIamPrefixes(openRedis, model)]).toEqual([]);
    expect([...grantedIamPrefixes(viaDax, model)]).toEqual(['dax']);
  });
});
