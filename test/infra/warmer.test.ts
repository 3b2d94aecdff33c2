import { Testing } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { parseWarmerInput } from '../../handlers/warmer/warm';
import type { ServiceModel } from '../../src/config/model';
import { SynthesisError } from '../../src/infra';
import { assetsFor, handler, model } from './model-builder';
import { dataOf, idOf, one, ref, resourcesOf, synth, type Synthesized } from './synth';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

function warmModel(over: Partial<ServiceModel> = {}): ServiceModel {
  return model({
    handlers: [handler('profile', { warm: true }), handler('users', { warm: true }), handler('cold')],
    warmer: { schedule: 'rate(3 minutes)', concurrency: 4, enabled: true, timeoutSeconds: 45 },
    ...over,
  });
}

describe('Warmer', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synth(warmModel());
  });

  it('GIVEN warm handlers WHEN synthesized THEN the schedule target input is a WarmerInput the warmer accepts, naming the live aliases of exactly the warm handlers', () => {
    const input = one(s.tf, 'aws_cloudwatch_event_target').input as string;
    const profile = idOf(s.tf, 'aws_lambda_alias', 'handler_profile_alias_');
    const users = idOf(s.tf, 'aws_lambda_alias', 'handler_users_alias_');
    expect(parseWarmerInput(JSON.parse(input))).toEqual({
      targets: [
        { name: 'profile', functionArn: ref('aws_lambda_alias', profile, 'arn') },
        { name: 'users', functionArn: ref('aws_lambda_alias', users, 'arn') },
      ],
      concurrency: 4,
    });
    expect(one(s.tf, 'aws_cloudwatch_event_target')).toMatchObject({
      arn: ref('aws_lambda_function', idOf(s.tf, 'aws_lambda_function', 'warmer_function_'), 'arn'),
      rule: ref('aws_cloudwatch_event_rule', idOf(s.tf, 'aws_cloudwatch_event_rule', 'warmer_schedule_'), 'name'),
    });
  });

  it('GIVEN a warmer WHEN synthesized THEN its function runs the warmer zip on nodejs22.x with the timeout of the YAML and a rule on the schedule invokes it', () => {
    const assets = assetsFor(warmModel());
    expect(s.text).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'users-prod-warmer',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
      timeout: 45,
      filename: `\${path.module}/${assets.warmer!.path}`,
      source_code_hash: assets.warmer!.sha256,
      tracing_config: { mode: 'Active' },
    });
    expect(s.text).toHaveResourceWithProperties(CloudwatchEventRule, { name: 'users-prod-warmer', schedule_expression: 'rate(3 minutes)', state: 'ENABLED' });
    expect(s.text).toHaveResourceWithProperties(LambdaPermission, {
      principal: 'events.amazonaws.com',
      source_arn: ref('aws_cloudwatch_event_rule', idOf(s.tf, 'aws_cloudwatch_event_rule', 'warmer_schedule_'), 'arn'),
    });
  });

  it('GIVEN a warmer WHEN synthesized THEN its role may invoke exactly the warm aliases', () => {
    const doc = Object.entries(dataOf(s.tf, 'aws_iam_policy_document')).find(([k]) => k.startsWith('warmer_role_permissions_'))![1];
    const invoke = doc.statement.find((st: { sid: string }) => st.sid === 'PingWarmHandlers');
    expect(invoke).toMatchObject({
      actions: ['lambda:InvokeFunction'],
      resources: [ref('aws_lambda_alias', idOf(s.tf, 'aws_lambda_alias', 'handler_profile_alias_'), 'arn'), ref('aws_lambda_alias', idOf(s.tf, 'aws_lambda_alias', 'handler_users_alias_'), 'arn')],
    });
  });

  it('GIVEN a disabled warmer or no warm handler WHEN synthesized THEN no warmer resource exists', () => {
    const disabled = synth(warmModel({ warmer: { schedule: 'rate(5 minutes)', concurrency: 1, enabled: false, timeoutSeconds: 30 } }));
    const noneWarm = synth(warmModel({ handlers: [handler('cold')] }));
    for (const { tf } of [disabled, noneWarm]) {
      expect(resourcesOf(tf, 'aws_cloudwatch_event_rule')).toEqual({});
      expect(Object.keys(resourcesOf(tf, 'aws_lambda_function')).some((k) => k.startsWith('warmer_'))).toBe(false);
    }
  });

  it('GIVEN an enabled warmer without its zip WHEN synthesized THEN a SynthesisError says to package the warmer', () => {
    const m = warmModel();
    expect(() => synth(m, { handlers: assetsFor(m).handlers })).toThrow(new SynthesisError('the warmer is enabled but has no packaged zip; package the warmer before synthesis', 'warmer', m.stackName));
  });
});
