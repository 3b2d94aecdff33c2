/**
 * Handler names that cachestack uses for functions it adds itself.
 *
 * What (`reserved-handler-name`, error; not in the spec's list): a `handlers`
 * entry named like a function cachestack creates on its own (`warmer`, see
 * `RESERVED_HANDLER_NAMES` in src/infra/naming.ts, which holds no cdktf code so
 * that rules may share it).
 *
 * Why: both functions would get the same physical name, IAM role and log group;
 * synthesis refuses it, so validation must say so first, with the line, instead
 * of `validate` passing and `synth` failing.
 */
import { RESERVED_HANDLER_NAMES } from '../../infra/naming';
import type { Rule } from './types';

export const handlerNamesRule: Rule = {
  id: 'handler-names',
  meta: [
    {
      code: 'reserved-handler-name',
      severity: 'error',
      description: `a handler is named like a function cachestack adds itself (${RESERVED_HANDLER_NAMES.map((n) => `\`${n}\``).join(', ')}).`,
    },
  ],
  check(ctx) {
    for (const h of ctx.model.handlers) {
      if (!(RESERVED_HANDLER_NAMES as readonly string[]).includes(h.name)) continue;
      ctx.report({
        code: 'reserved-handler-name',
        path: ['handlers', h.name],
        message: `handler name \`${h.name}\` is reserved for a function cachestack adds itself; reserved names: ${RESERVED_HANDLER_NAMES.join(', ')}`,
        hint: `rename the handler, e.g. \`${h.name}-fn\`, and the references to it`,
      });
    }
  },
};
