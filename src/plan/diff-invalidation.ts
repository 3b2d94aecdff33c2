/**
 * The invalidation part of `diff`, kept out of diff.ts (one module per concern,
 * like diff-alarms.ts):
 * - a handler that newly `invalidates` an endpoint gets `execute-api:InvalidateCache`
 *   on it: a new permission to refresh (and so to empty, entry by entry) a cache,
 *   flagged `security` for a reviewer's eyes, the same as any new grant;
 * - a grant removed is listed unflagged (less permission);
 * - an `evicts` target added or removed is listed unflagged: AppSync eviction needs
 *   no IAM grant (the resolver's code does it), and a removed one only means the
 *   entries live until their TTL, which the message says.
 * A base without the file (a new stack) counts as having no grants.
 */
import type { ServiceModel } from '../config/model';
import type { Change } from './diff';
import { cmp } from './explain';

function change(name: string, action: Change['action'], field: string, message: string, flagged: boolean): Change {
  return {
    subject: 'invalidation',
    name,
    action,
    field,
    before: action === 'add' ? null : name,
    after: action === 'remove' ? null : name,
    message,
    flags: flagged ? ['security'] : [],
    dataLoss: false,
    direction: null,
    rule: null,
  };
}

/** `handler → METHOD /path` of every grant in a model. */
function grants(m: ServiceModel | undefined): Map<string, { handler: string; endpoint: string }> {
  const out = new Map<string, { handler: string; endpoint: string }>();
  for (const h of m?.handlers ?? []) {
    for (const t of h.invalidates) {
      const endpoint = `${t.method} ${t.path}`;
      out.set(`${h.name} → ${endpoint}`, { handler: h.name, endpoint });
    }
  }
  return out;
}

/** `Mutation.x → Query.y` of every eviction in a model. */
function evictions(m: ServiceModel | undefined): Map<string, { field: string; target: string }> {
  const out = new Map<string, { field: string; target: string }>();
  for (const r of m?.graphqlApi?.resolvers ?? []) {
    for (const e of r.evicts) out.set(`${r.field} → ${e.field}`, { field: r.field, target: e.field });
  }
  return out;
}

export function diffInvalidation(base: ServiceModel | undefined, head: ServiceModel | undefined): Change[] {
  const out: Change[] = [];
  const gb = grants(base);
  const gh = grants(head);
  for (const name of [...new Set([...gb.keys(), ...gh.keys()])].sort(cmp)) {
    const b = gb.get(name);
    const h = gh.get(name);
    if (h && !b) {
      out.push(change(name, 'add', `handlers.${h.handler}.invalidates`, `grant added: handler ${h.handler} may refresh cached entries of ${h.endpoint} (execute-api:InvalidateCache)`, true));
    } else if (b && !h) {
      out.push(change(name, 'remove', `handlers.${b.handler}.invalidates`, `grant removed: handler ${b.handler} may no longer refresh cached entries of ${b.endpoint}`, false));
    }
  }
  const eb = evictions(base);
  const eh = evictions(head);
  for (const name of [...new Set([...eb.keys(), ...eh.keys()])].sort(cmp)) {
    const b = eb.get(name);
    const h = eh.get(name);
    if (h && !b) out.push(change(name, 'add', `graphqlApi.resolvers[${h.field}].evicts`, `eviction added: ${h.field} evicts ${h.target} entries once it succeeds`, false));
    else if (b && !h) out.push(change(name, 'remove', `graphqlApi.resolvers[${b.field}].evicts`, `eviction removed: after ${b.field}, ${b.target} entries stay cached until their ttl ends`, false));
  }
  return out;
}
