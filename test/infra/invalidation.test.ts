/**
 * `handlers.<name>.invalidates` through real synthesis: the handler's role may
 * `execute-api:InvalidateCache` on exactly the named methods of the stage (one
 * policy document), the function gets the stage URL and region, and nothing
 * depends on the stage (so the function, the API's integrations and the stage
 * form no cycle).
 */
import { Testing } from 'cdktf';
import { ENV } from '../../handlers/runtime/contract';
import { methodResourcePath } from '../../src/infra/rest-api';
import { endpoint, endpointCache, handler, model, restApi } from './model-builder';
import { dataOf, resourcesOf, synth, type Json } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

function invalidationModel() {
  return model({
    handlers: [
      handler('profile', { invalidates: [{ method: 'GET', path: '/profile' }, { method: 'GET', path: '/users/{userId}' }] }),
      handler('reader'),
    ],
    restApi: restApi(
      [
        endpoint('GET', '/profile', 'reader', { auth: 'iam', cache: endpointCache({ keys: ['header.Authorization'] }) }),
        endpoint('GET', '/users/{userId}', 'reader', { auth: 'iam', cache: endpointCache({ keys: ['header.Authorization', 'path.userId'] }) }),
        endpoint('PUT', '/profile', 'profile', { auth: 'iam' }),
      ],
      { stage: 'prod', cache: { sizeGb: 0.5, encrypted: true, ttlSeconds: 300 } },
    ),
  });
}

function policyOf(tf: Json, handlerName: string): Json {
  const [, doc] = Object.entries(dataOf(tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith(`handler_${handlerName}_role_permissions_`))!;
  return doc;
}

describe('invalidates', () => {
  const { tf } = synth(invalidationModel());
  const apiId = Object.keys(resourcesOf(tf, 'aws_api_gateway_rest_api'))[0];

  it('GIVEN two endpoints in invalidates THEN one statement grants InvalidateCache on exactly their method ARNs of the stage', () => {
    const grants = policyOf(tf, 'profile').statement.filter((s: Json) => s.actions.includes('execute-api:InvalidateCache'));
    expect(grants).toEqual([
      {
        sid: 'InvalidateCache',
        effect: 'Allow',
        actions: ['execute-api:InvalidateCache'],
        resources: [
          `\${aws_api_gateway_rest_api.${apiId}.execution_arn}/prod/GET/profile`,
          `\${aws_api_gateway_rest_api.${apiId}.execution_arn}/prod/GET/users/*`,
        ],
      },
    ]);
  });

  it('GIVEN a handler without invalidates THEN its role grants no invalidation and it gets no stage URL', () => {
    expect(JSON.stringify(policyOf(tf, 'reader'))).not.toContain('InvalidateCache');
    const fn = Object.entries(resourcesOf(tf, 'aws_lambda_function')).find(([k]) => k.startsWith('handler_reader_'))![1];
    expect(fn.environment.variables[ENV.restStageUrl]).toBeUndefined();
  });

  it('GIVEN invalidates THEN the function gets the stage URL from the API id (not the stage) and the region', () => {
    const fn = Object.entries(resourcesOf(tf, 'aws_lambda_function')).find(([k]) => k.startsWith('handler_profile_'))![1];
    const url: string = fn.environment.variables[ENV.restStageUrl];
    expect(url).toMatch(new RegExp(`^https://\\$\\{aws_api_gateway_rest_api\\.${apiId}\\.id\\}\\.execute-api\\.us-east-1\\.\\$\\{data\\.aws_partition\\.[A-Za-z0-9_]+\\.dns_suffix\\}/prod$`));
    expect(fn.environment.variables[ENV.restRegion]).toBe('us-east-1');
    expect(JSON.stringify(fn)).not.toContain('aws_api_gateway_stage');
  });

  it('GIVEN paths with parameters THEN the IAM resource path puts * for each parameter only', () => {
    expect(methodResourcePath('GET', '/')).toBe('GET/');
    expect(methodResourcePath('GET', '/courses/{id}/sections')).toBe('GET/courses/*/sections');
    expect(methodResourcePath('DELETE', '/files/{proxy+}')).toBe('DELETE/files/*');
  });

  it('GIVEN the same model twice THEN the JSON is byte-identical', () => {
    expect(synth(invalidationModel()).text).toBe(synth(invalidationModel()).text);
  });
});
