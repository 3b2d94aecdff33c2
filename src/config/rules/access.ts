/**
 * Rule 13: `handlers.<name>.access` names exactly what the code reaches.
 *
 * What:
 * - `access-name-form` (error): a `table`, `queue` or `topic` that is neither a
 *   name nor an ARN of that kind (an index ARN as a table, an S3 ARN as a
 *   queue); a `statements` action that is not `service:Action`, or a resource
 *   that is not an ARN.
 * - `access-wildcard` (error): `*` (or `?`) in a `statements` action or
 *   resource: the escape hatch grants explicit actions on explicit ARNs only.
 * - `access-region` (warning): a table, queue, topic or secret ARN in another
 *   region than the config's `region`: the handler's SDK clients call the
 *   function's own region unless the code says otherwise, so the grant and the
 *   call would not meet.
 * - `access-sdk-not-granted` (warning, reported by `cachestack synth`, which
 *   bundles the handlers; see src/config/sdk-grants.ts):
 *   the handler's bundle imports an AWS SDK client for a service its role grants
 *   nothing on, so the first call would fail with AccessDenied.
 *
 * Why: the role policy is built from these names; a name in the wrong form
 * would grant something else than the code uses, and a wildcard grants what
 * nobody reviewed.
 */
import { parseArn, resolveRef, type AccessRefKind } from '../access';
import type { FieldPath, Rule, RuleContext } from './types';

const ACTION_FORM = /^[a-z0-9-]+:[A-Za-z0-9]+$/;

function checkRef(ctx: RuleContext, kind: AccessRefKind, value: string, path: FieldPath, handler: string): void {
  const ref = resolveRef(kind, value);
  if (!ref.ok) {
    ctx.report({ code: 'access-name-form', path, message: `handler \`${handler}\`: ${ref.message}`, hint: ref.hint });
    return;
  }
  if (ref.arn) checkRegion(ctx, ref.arn.region, value, path, handler);
}

function checkRegion(ctx: RuleContext, region: string, value: string, path: FieldPath, handler: string): void {
  if (region === '' || region === ctx.model.region) return;
  ctx.report({
    code: 'access-region',
    path,
    message: `handler \`${handler}\`: \`${value}\` is in region ${region}, but the stack deploys to ${ctx.model.region}; the handler's sdk clients call ${ctx.model.region} unless its code sets another region`,
    hint: `use the resource in ${ctx.model.region}, or make sure the handler's client for it is built with \`region: '${region}'\``,
  });
}

export const accessRule: Rule = {
  id: 'access',
  meta: [
    { code: 'access-name-form', severity: 'error', description: 'an `access` table, queue or topic is neither a name nor an ARN of that kind, or a `statements` action is not `service:Action` or a resource is not an ARN.', specRule: 13 },
    { code: 'access-wildcard', severity: 'error', description: 'a `statements` action or resource of `access` contains `*` or `?`; name exact actions and ARNs.', specRule: 13 },
    { code: 'access-region', severity: 'warning', description: 'an `access` ARN is in another region than the config\'s `region`, which the handler\'s SDK clients call by default.', specRule: 13 },
    {
      code: 'access-sdk-not-granted',
      severity: 'warning',
      description: 'a handler\'s bundle imports an AWS SDK client for a service its role grants nothing on (found from the bundler\'s metafile by `synth` and `validate`), so its calls would fail with AccessDenied.',
      specRule: 13,
    },
  ],
  check(ctx) {
    for (const h of ctx.model.handlers) {
      const base = ['handlers', h.name, 'access'] as const;
      h.access.dynamodb.forEach((d, i) => checkRef(ctx, 'table', d.table, [...base, 'dynamodb', i, 'table'], h.name));
      h.access.sqs.forEach((q, i) => checkRef(ctx, 'queue', q.queue, [...base, 'sqs', i, 'queue'], h.name));
      h.access.sns.forEach((t, i) => checkRef(ctx, 'topic', t.topic, [...base, 'sns', i, 'topic'], h.name));
      h.access.secrets.forEach((s, i) => {
        const arn = parseArn(s);
        if (arn) checkRegion(ctx, arn.region, s, [...base, 'secrets', i], h.name);
      });
      h.access.statements.forEach((s, i) => {
        s.actions.forEach((action, j) => {
          const path = [...base, 'statements', i, 'actions', j];
          if (/[*?]/.test(action)) {
            ctx.report({
              code: 'access-wildcard',
              path,
              message: `handler \`${h.name}\`: the action \`${action}\` is a wildcard; a statement grants exact actions only`,
              hint: 'list each action the code calls, such as `ses:SendEmail`',
            });
          } else if (!ACTION_FORM.test(action)) {
            ctx.report({ code: 'access-name-form', path, message: `handler \`${h.name}\`: \`${action}\` is not an IAM action (\`service:Action\`)`, hint: 'write the action as IAM names it, such as `ses:SendEmail`' });
          }
        });
        s.resources.forEach((resource, j) => {
          const path = [...base, 'statements', i, 'resources', j];
          if (/[*?]/.test(resource)) {
            ctx.report({
              code: 'access-wildcard',
              path,
              message: `handler \`${h.name}\`: the resource \`${resource}\` has a wildcard; a statement grants exact ARNs only`,
              hint: 'name each resource by its full ARN; for a table, bucket, queue, topic or secret use `access.dynamodb`, `s3`, `sqs`, `sns` or `secrets`',
            });
          } else if (!parseArn(resource)) {
            ctx.report({ code: 'access-name-form', path, message: `handler \`${h.name}\`: \`${resource}\` is not an ARN`, hint: 'give the full ARN, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`' });
          }
        });
      });
    }
  },
};
