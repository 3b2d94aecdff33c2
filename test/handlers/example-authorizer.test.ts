/**
 * The plumbing the example Lambda authorizers share (handlers/examples/lib/authorizer.ts):
 * where the token comes from, and what the allow answer lets a caller do.
 */
import type { APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { allowStage, requestToken } from '../../handlers/examples/lib/authorizer';

const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/users/42';

function requestEvent(headers: Record<string, string> | null): APIGatewayRequestAuthorizerEvent {
  return { type: 'REQUEST', methodArn: METHOD_ARN, headers } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe('example authorizer plumbing', () => {
  it.each([
    [{ Authorization: 'Bearer abc' }, 'abc'],
    [{ authorization: 'bearer abc' }, 'abc'],
    [{ AUTHORIZATION: '  abc  ' }, 'abc'],
    [{ 'X-Other': 'Bearer abc' }, undefined],
    [{ Authorization: '' }, undefined],
  ])('GIVEN REQUEST headers %j WHEN the token is read THEN it is %j', (headers, expected) => {
    expect(requestToken(requestEvent(headers))).toBe(expected);
  });

  it('GIVEN a REQUEST event without headers WHEN the token is read THEN there is none', () => {
    expect(requestToken(requestEvent(null))).toBeUndefined();
  });

  it('GIVEN a TOKEN event WHEN the token is read THEN it comes from authorizationToken', () => {
    const event = { type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken: 'Bearer t0k' } as APIGatewayTokenAuthorizerEvent;
    expect(requestToken(event)).toBe('t0k');
  });

  it('GIVEN a method ARN WHEN the caller is allowed THEN the policy covers every method of that stage only, with the user id in the context', () => {
    expect(allowStage(METHOD_ARN, 'user-7')).toEqual({
      principalId: 'user-7',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*/*' }],
      },
      context: { userId: 'user-7' },
    });
  });
});
