/**
 * What the example Lambda authorizers share: the caller's token, and the answer
 * that lets a caller in. Example code, not part of the runtime kit: copy what
 * you need.
 */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { bearerToken } from './sessions';

/**
 * The bearer token of the request: a REQUEST authorizer finds the Authorization
 * header in any case (API Gateway keeps the case the client sent), a TOKEN
 * authorizer gets it as `authorizationToken`.
 */
export function requestToken(event: APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent): string | undefined {
  if (event.type === 'TOKEN') return bearerToken(event.authorizationToken);
  const headers = event.headers ?? {};
  const name = Object.keys(headers).find((h) => h.toLowerCase() === 'authorization');
  return bearerToken(name ? headers[name] : undefined);
}

/**
 * Allow `userId` to call every method of the stage the request came to. The
 * policy names the whole stage, not the one method, because API Gateway caches
 * the answer per token (`resultTtlSeconds`) and applies it to the caller's other
 * requests too. Handlers read the id as `requestContext.authorizer.userId`.
 */
export function allowStage(methodArn: string, userId: string): APIGatewayAuthorizerResult {
  const [apiArn, stage] = methodArn.split('/'); // arn:aws:execute-api:region:account:apiId/stage/METHOD/path
  return {
    principalId: userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${apiArn}/${stage}/*/*` }],
    },
    context: { userId },
  };
}
