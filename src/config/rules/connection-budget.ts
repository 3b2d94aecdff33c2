/**
 * Rule 15: the Postgres connection budget.
 *
 * What:
 * - `postgres-connection-budget` (error): a handler's pool `max` times the
 *   function's reachable concurrency is above `serverMaxConnections`. Reachable
 *   concurrency is `reservedConcurrency`, or, when the function is unreserved, the
 *   account's default concurrency quota (1000 per region): an unreserved function
 *   may scale to whatever the account allows.
 * - `postgres-connection-budget-unknown` (warning): a Postgres pool on an
 *   unreserved function without `serverMaxConnections`: nothing bounds how many
 *   connections the function can open, and nothing says what the database admits.
 *
 * Why: every execution environment holds its own pool. A burst scales the
 * function out, each new environment opens up to `max` connections, and the
 * database refuses connections (`too many clients already`) for every caller,
 * the ones outside this service included. The check is per function, as the
 * spec states it; several functions sharing one database share its budget, which
 * the docs tell the user to split.
 */
import { ACCOUNT_CONCURRENCY_DEFAULT } from '../constants';
import type { FieldPath, Rule } from './types';

export const connectionBudgetRule: Rule = {
  id: 'connection-budget',
  meta: [
    {
      code: 'postgres-connection-budget',
      severity: 'error',
      description: `a postgres pool's \`max\` times the function's reachable concurrency (\`reservedConcurrency\`, or ${ACCOUNT_CONCURRENCY_DEFAULT} when unreserved) is above \`serverMaxConnections\`.`,
      specRule: 15,
    },
    {
      code: 'postgres-connection-budget-unknown',
      severity: 'warning',
      description: 'a postgres pool on a function without `reservedConcurrency` and without `serverMaxConnections`: nothing bounds the connections it may open.',
      specRule: 15,
    },
  ],
  check(ctx) {
    for (const h of ctx.model.handlers) {
      const pg = h.connections.postgres;
      if (!pg) continue;
      const base: FieldPath = ['handlers', h.name, 'connections', 'postgres'];
      const reserved = h.reservedConcurrency;
      if (pg.serverMaxConnections === undefined) {
        if (reserved === undefined) {
          ctx.report({
            code: 'postgres-connection-budget-unknown',
            path: base,
            message: `handler \`${h.name}\` has a postgres pool of up to ${pg.max} connections but no \`reservedConcurrency\`: it may open ${pg.max} x ${ACCOUNT_CONCURRENCY_DEFAULT} (the account's default concurrency) = ${pg.max * ACCOUNT_CONCURRENCY_DEFAULT} connections, and \`serverMaxConnections\` does not say what the database admits`,
            hint: `set \`reservedConcurrency\` on the handler and \`serverMaxConnections\` (the database's max_connections) on the pool`,
          });
        }
        continue;
      }
      const concurrency = reserved ?? ACCOUNT_CONCURRENCY_DEFAULT;
      const total = pg.max * concurrency;
      if (total <= pg.serverMaxConnections) continue;
      const maxPath: FieldPath = ctx.written([...base, 'max']) ? [...base, 'max'] : base;
      const fits = Math.floor(pg.serverMaxConnections / pg.max);
      ctx.report({
        code: 'postgres-connection-budget',
        path: maxPath,
        message:
          reserved === undefined
            ? `handler \`${h.name}\` may open ${pg.max} x ${ACCOUNT_CONCURRENCY_DEFAULT} = ${total} postgres connections (pool \`max\` x the account's default concurrency, the function is unreserved), above \`serverMaxConnections: ${pg.serverMaxConnections}\``
            : `handler \`${h.name}\` may open ${pg.max} x ${reserved} = ${total} postgres connections (pool \`max\` x \`reservedConcurrency\`), above \`serverMaxConnections: ${pg.serverMaxConnections}\``,
        hint:
          fits >= 1
            ? `set \`reservedConcurrency\` to ${fits} or less, or lower the pool's \`max\` (a function serves one request at a time per environment: a pool of 1 or 2 is usually enough), or put RDS Proxy in front of the database`
            : `lower the pool's \`max\` to ${pg.serverMaxConnections} or less and set \`reservedConcurrency\`, or put RDS Proxy in front of the database`,
        related: [
          { path: [...base, 'serverMaxConnections'], message: 'what the database admits' },
          ...(reserved !== undefined ? [{ path: ['handlers', h.name, 'reservedConcurrency'] as FieldPath, message: 'the function\'s concurrency' }] : []),
        ],
      });
    }
  },
};
