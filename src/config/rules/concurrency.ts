/**
 * Rule 7: concurrency and timeouts that the AWS services can honour.
 *
 * What:
 * - `concurrency-exceeds-reserved` (error): `provisionedConcurrency` is greater
 *   than `reservedConcurrency`. Reserved concurrency caps the function; Lambda
 *   refuses to keep more environments initialized than the function may ever run.
 * - `api-timeout-exceeds-gateway` (warning): a handler behind `restApi` has
 *   `timeoutSeconds > 29`. API Gateway's REST integration stops waiting after 29 s
 *   (without a quota increase) and answers 504, while the function keeps running
 *   and billing: callers see a timeout the function never reports.
 */
import type { Rule } from './types';
import { endpointLabel } from './util';

/** API Gateway REST API integration timeout, in seconds. */
export const API_GATEWAY_TIMEOUT_SECONDS = 29;

export const concurrencyRule: Rule = {
  id: 'concurrency',
  meta: [
    {
      code: 'concurrency-exceeds-reserved',
      severity: 'error',
      description: 'a handler\'s `provisionedConcurrency` is greater than its `reservedConcurrency`.',
      specRule: 7,
    },
    {
      code: 'api-timeout-exceeds-gateway',
      severity: 'warning',
      description: 'a handler behind `restApi` has `timeoutSeconds` above 29; api gateway answers 504 after 29 s while the function keeps running.',
      specRule: 7,
    },
  ],
  check(ctx) {
    const endpoints = ctx.model.restApi?.endpoints ?? [];
    for (const h of ctx.model.handlers) {
      if (h.reservedConcurrency !== undefined && h.provisionedConcurrency > h.reservedConcurrency) {
        ctx.report({
          code: 'concurrency-exceeds-reserved',
          path: ['handlers', h.name, 'provisionedConcurrency'],
          message: `handler \`${h.name}\` has \`provisionedConcurrency: ${h.provisionedConcurrency}\` but \`reservedConcurrency: ${h.reservedConcurrency}\`; provisioned concurrency must be at most the reserved concurrency`,
          hint: `lower \`provisionedConcurrency\` to ${h.reservedConcurrency} or less, or raise \`reservedConcurrency\` to ${h.provisionedConcurrency} or more`,
          related: [{ path: ['handlers', h.name, 'reservedConcurrency'], message: 'reserved concurrency set here' }],
        });
      }

      if (h.timeoutSeconds > API_GATEWAY_TIMEOUT_SECONDS) {
        const behind = endpoints.filter((e) => e.handler === h.name);
        if (behind.length) {
          ctx.report({
            code: 'api-timeout-exceeds-gateway',
            path: ['handlers', h.name, 'timeoutSeconds'],
            message: `handler \`${h.name}\` has \`timeoutSeconds: ${h.timeoutSeconds}\` but serves ${behind.map(endpointLabel).join(', ')}; api gateway stops waiting after ${API_GATEWAY_TIMEOUT_SECONDS} s and answers 504 while the function keeps running`,
            hint: `lower \`timeoutSeconds\` to ${API_GATEWAY_TIMEOUT_SECONDS} or less, or move the slow work off the request path (a queue or an async invocation)`,
          });
        }
      }
    }
  },
};
