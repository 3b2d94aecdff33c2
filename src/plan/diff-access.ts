/**
 * The `access` part of `diff`, kept out of diff.ts: what each handler's role
 * may call, compared resource by resource. A grant that widens what a function
 * may do is flagged `security`: a new resource (a table, bucket prefix, queue,
 * topic, secret, or a resource of a new `statements` entry), or new actions on
 * a resource it had (write on a table it only read). A narrowed grant (a
 * resource or actions gone) is a plain change. Handlers match by name; a new
 * handler's grants are all new, a removed handler's all gone.
 *
 * Compared on the statements src/config/access.ts builds (the same that go into
 * the role policy), with `<partition>` and `<account>` for what Terraform looks
 * up: a table renamed from a name to its ARN in the same account shows as a
 * change, which it is in the policy too.
 */
import { accessSecretArns, accessStatements, placeholderContext, SECRET_ACTIONS } from '../config/access';
import type { Handler, ServiceModel } from '../config/model';
import type { Change } from './diff';

/** resource (with its condition, if any) → actions, for one handler's `access`. */
function grantsOf(h: Handler | undefined, region: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (!h) return out;
  const ctx = placeholderContext(region);
  const add = (resource: string, actions: readonly string[]) => {
    const set = out.get(resource) ?? new Set<string>();
    for (const a of actions) set.add(a);
    out.set(resource, set);
  };
  for (const s of accessStatements(h.access, ctx)) {
    const when = s.conditions?.map((c) => ` (when ${c.variable} ${c.test} ${c.values.join(' ')})`).join('') ?? '';
    for (const r of s.resources) add(`${r}${when}`, s.actions);
  }
  for (const r of accessSecretArns(h.access, ctx)) add(r, SECRET_ACTIONS);
  return out;
}

function sorted(set: Iterable<string>): string[] {
  return [...set].sort();
}

function change(handler: string, action: Change['action'], resource: string, before: string[] | null, after: string[] | null, message: string, widened: boolean): Change {
  return { subject: 'access', name: handler, action, field: `access ${resource}`, before, after, message, flags: widened ? ['security'] : [], dataLoss: false, direction: null, rule: null };
}

export function diffAccess(base: ServiceModel, head: ServiceModel): Change[] {
  const names = sorted(new Set([...base.handlers.map((h) => h.name), ...head.handlers.map((h) => h.name)]));
  const out: Change[] = [];
  for (const name of names) {
    const before = grantsOf(base.handlers.find((h) => h.name === name), base.region);
    const after = grantsOf(head.handlers.find((h) => h.name === name), head.region);
    for (const resource of sorted(new Set([...before.keys(), ...after.keys()]))) {
      const b = before.get(resource);
      const a = after.get(resource);
      if (!b && a) {
        out.push(change(name, 'add', resource, null, sorted(a), `handler \`${name}\` may now call ${sorted(a).join(', ')} on ${resource}`, true));
      } else if (b && !a) {
        out.push(change(name, 'remove', resource, sorted(b), null, `handler \`${name}\` may no longer call ${sorted(b).join(', ')} on ${resource}`, false));
      } else if (a && b) {
        const added = sorted([...a].filter((x) => !b.has(x)));
        const removed = sorted([...b].filter((x) => !a.has(x)));
        if (added.length > 0) {
          out.push(change(name, 'update', resource, sorted(b), sorted(a), `handler \`${name}\` widened on ${resource}: may now also call ${added.join(', ')}`, true));
        }
        if (removed.length > 0) {
          out.push(change(name, 'update', resource, sorted(b), sorted(a), `handler \`${name}\` narrowed on ${resource}: may no longer call ${removed.join(', ')}`, false));
        }
      }
    }
  }
  return out;
}
