/**
 * Files generated from the sources of truth and committed: the published JSON
 * Schema and the generated parts of docs/config.md. `npm run schema` and
 * `npm run docs` rewrite them; test/cli tests fail when a committed copy is stale.
 */
import { PUBLISHED_SCHEMA } from '../config/generated/schema-data';
import type { Command } from './command';
import { ALARM_KIND_DOCS } from '../plan/alarms';
import { alarmTable, codeTable, commandTable, fieldTables, updateGenerated, type CodeDoc } from './docs';

/** Where the committed schema lives, relative to the package root. */
export const SCHEMA_FILE = 'schema/cachestack.schema.json';
/** Where the config reference lives, relative to the package root. */
export const DOCS_FILE = 'docs/config.md';

/** The published schema as `cachestack schema` prints it: 2-space JSON and a newline. */
export function schemaJson(): string {
  return `${JSON.stringify(PUBLISHED_SCHEMA, null, 2)}\n`;
}

/**
 * docs/config.md with its generated parts (field tables from the published
 * schema, the rule-code table, the command table) brought up to date; the prose
 * is kept as is.
 */
export function renderDocs(current: string, codes: readonly CodeDoc[], commands: readonly Command[]): string {
  const parts = new Map(fieldTables(PUBLISHED_SCHEMA));
  parts.set('codes', codeTable(codes));
  parts.set('commands', commandTable(commands));
  parts.set('alarms.kinds', alarmTable(ALARM_KIND_DOCS));
  return updateGenerated(current, parts);
}
