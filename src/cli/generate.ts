/**
 * Regenerates the committed files that come from the sources of truth:
 *
 *   npm run schema   writes schema/cachestack.schema.json (what `cachestack schema` prints)
 *   npm run docs     rewrites the generated parts of docs/config.md
 *
 * With `--check`, writes nothing and exits 1 when a file is stale (for CI).
 * Usage: tsx src/cli/generate.ts [--check] [schema] [docs]   (no target: both)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_CODE_META } from '../config/codes';
import { COMMANDS } from './commands';
import { DOCS_FILE, SCHEMA_FILE, renderDocs, schemaJson } from './generated';

const ROOT = join(__dirname, '..', '..');

function main(argv: string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => !['--check', 'schema', 'docs'].includes(a));
  if (unknown.length > 0) {
    process.stderr.write(`generate: unknown argument ${unknown.map((a) => `\`${a}\``).join(', ')}; usage: generate [--check] [schema] [docs]\n`);
    return 2;
  }
  const targets = argv.filter((a) => a === 'schema' || a === 'docs');
  const wanted = targets.length > 0 ? targets : ['schema', 'docs'];
  let stale = 0;
  for (const target of wanted) {
    const file = target === 'schema' ? SCHEMA_FILE : DOCS_FILE;
    const path = join(ROOT, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const next = target === 'schema' ? schemaJson() : renderDocs(current, ALL_CODE_META, COMMANDS);
    if (next === current) {
      process.stdout.write(`${file}: up to date\n`);
    } else if (check) {
      process.stdout.write(`${file}: stale; run \`npm run ${target}\`\n`);
      stale++;
    } else {
      writeFileSync(path, next);
      process.stdout.write(`${file}: written\n`);
    }
  }
  return stale > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
