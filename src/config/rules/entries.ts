/**
 * Rule 9: handler code exists, and the warmer has something to warm.
 *
 * What:
 * - `entry-not-found` (error): a handler's `entry` file does not exist (paths are
 *   relative to the config file). When the same name exists with another
 *   JavaScript/TypeScript extension, the hint names it.
 *   An entry the loader refused (outside the project root, or not a regular
 *   file) has its own diagnostic and is not reported again.
 * - `warmer-without-targets` (warning): `warmer` is defined and enabled but no
 *   handler has `warm: true`. A disabled warmer (`enabled: false`, e.g. in one
 *   environment) is not reported: it deploys a schedule that does not fire.
 *
 * Why: a missing entry would fail the bundling step after validation said "valid";
 * checking here keeps `validate` honest. A warmer without targets costs a function,
 * a schedule and invocations that keep nothing warm, which is almost always a
 * forgotten `warm: true`.
 */
import * as path from 'path';
import type { Rule } from './types';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.py'];

export const entriesRule: Rule = {
  id: 'entries',
  meta: [
    {
      code: 'entry-not-found',
      severity: 'error',
      description: 'a handler\'s `entry` file does not exist (paths are relative to the config file).',
      specRule: 9,
    },
    {
      code: 'warmer-without-targets',
      severity: 'warning',
      description: '`warmer` is enabled but no handler has `warm: true`, so it keeps nothing warm.',
      specRule: 9,
    },
  ],
  check(ctx) {
    for (const h of ctx.model.handlers) {
      if (ctx.refused(h.entryPath) || ctx.fileExists(h.entryPath)) continue;
      const ext = path.extname(h.entryPath);
      const stem = h.entryPath.slice(0, h.entryPath.length - ext.length);
      const alt = EXTENSIONS.filter((e) => e !== ext).find((e) => ctx.fileExists(stem + e));
      const writtenExt = path.extname(h.entry);
      ctx.report({
        code: 'entry-not-found',
        path: ['handlers', h.name, 'entry'],
        message: `handler \`${h.name}\`: entry file \`${h.entry}\` does not exist (looked at \`${ctx.displayPath(h.entryPath)}\`)`,
        hint: alt
          ? `did you mean \`${h.entry.slice(0, h.entry.length - writtenExt.length)}${alt}\`?`
          : 'the path is relative to the config file',
      });
    }

    const w = ctx.model.warmer;
    if (w && w.enabled && !ctx.model.handlers.some((h) => h.warm)) {
      ctx.report({
        code: 'warmer-without-targets',
        path: ['warmer'],
        message: `\`warmer\` is enabled but no handler has \`warm: true\`; it would run on \`${w.schedule}\` and keep nothing warm`,
        hint: 'set `warm: true` on the handlers to keep warm, or remove `warmer` (or set `enabled: false`)',
      });
    }
  },
};
