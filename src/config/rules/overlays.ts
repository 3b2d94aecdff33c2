/**
 * Rule 10: an environment overlay changes what the base defines; it does not
 * invent new things.
 *
 * What: in `environments.<env>`, an error for
 * - a map entry the base does not have: `handlers.<name>`, `redis.<name>`,
 *   `dax.<name>` (the usual cause is a typo: `profle` instead of `profile`);
 * - a whole section the base does not have: `backend`, `auth`, `network`,
 *   `restApi`, `graphqlApi`, `warmer`, and the providers inside them
 *   (`auth.cognito`, `auth.lambda`, `auth.oidc`, `auth.apiKey`, `backend.s3`).
 * Allowed: optional fields inside an entry or section the base has (a base
 * handler without `memoryMb` may get one in `prod`; `restApi.cache` may be turned
 * on in one environment), keys added to `tags`, and `region`.
 *
 * Why: an overlay is deep-merged over the base, so a misspelt entry name does not
 * change the entry the user meant: it silently creates a second, half-defined one
 * (or is dropped), and the environment deploys with the base values. A typo in an
 * overlay must not pass silently. Whole sections belong in the base so that every
 * environment shares their shape, and the base alone is a complete, checkable
 * service.
 */
import type { FieldPath, Rule, RuleContext } from './types';
import { closest, isRecord, nameList } from './util';

/** Map sections: entry names are checked against the base. */
const MAP_SECTIONS: Record<string, string> = { handlers: 'handler', redis: 'redis cache', dax: 'dax cluster' };
/** Sections that must exist in the base before an overlay may change them, with their own sub-sections. */
const SECTIONS: Record<string, readonly string[]> = {
  backend: ['s3'],
  auth: ['cognito', 'lambda', 'oidc', 'apiKey'],
  network: [],
  restApi: [],
  graphqlApi: [],
  warmer: [],
};

/** An overlay entry whose map section in the base lacks it: list the base's entries, suggest the closest. */
function reportEntry(ctx: RuleContext, env: string, path: FieldPath, kind: string, plural: string, baseNames: string[]): void {
  const name = String(path[path.length - 1]);
  const guess = closest(name, baseNames);
  ctx.report({
    code: 'overlay-unknown-entry',
    path,
    message: `environment \`${env}\` changes ${kind} \`${name}\`, which the base does not define; ${
      baseNames.length ? `the base defines ${plural}: ${nameList(baseNames)}` : `the base defines no ${plural}`
    }`,
    hint: guess !== undefined ? `did you mean \`${guess}\`?` : `an environment only changes what the base defines: add \`${path.join('.')}\` to the base first`,
  });
}

/** An overlay section (or provider inside one) that the base lacks. Section names passed the schema, so no "did you mean". */
function reportSection(ctx: RuleContext, env: string, path: FieldPath): void {
  const dotted = path.join('.');
  ctx.report({
    code: 'overlay-unknown-entry',
    path,
    message: `environment \`${env}\` adds \`${dotted}\`, which the base does not define; an environment may only change sections and entries the base has`,
    hint: `define \`${dotted}\` in the base, so every environment has it, and change it per environment`,
  });
}

export const overlaysRule: Rule = {
  id: 'overlays',
  meta: [
    {
      code: 'overlay-unknown-entry',
      severity: 'error',
      description:
        'an `environments` overlay names a handler, redis cache, dax cluster or section that the base does not define (usually a typo).',
      specRule: 10,
    },
  ],
  check(ctx) {
    const env = ctx.environment;
    const raw = ctx.raw as unknown;
    if (env === undefined || !isRecord(raw) || !isRecord(raw.environments)) return;
    const overlay = raw.environments[env];
    if (!isRecord(overlay)) return;

    for (const [key, value] of Object.entries(overlay)) {
      const base = raw[key];
      const kind = MAP_SECTIONS[key];
      if (kind !== undefined) {
        if (!isRecord(value)) continue;
        const baseNames = isRecord(base) ? Object.keys(base) : [];
        for (const name of Object.keys(value)) {
          if (baseNames.includes(name)) continue;
          reportEntry(ctx, env, [key, name], kind, `${kind}s`, baseNames);
        }
        continue;
      }
      const subs = SECTIONS[key];
      if (subs === undefined) continue; // region, tags: free to change
      if (!isRecord(base)) {
        reportSection(ctx, env, [key]);
        continue;
      }
      if (!isRecord(value)) continue;
      for (const sub of subs) {
        if (value[sub] === undefined || base[sub] !== undefined) continue;
        reportSection(ctx, env, [key, sub]);
      }
    }
  },
};
