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

type Node = Record<string, unknown>;

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A description as plain text, for clients that do not render markdown: backticks go. */
function plain(text: string): string {
  return text.replace(/`([^`]*)`/g, '$1');
}

/**
 * Adds what editors show on hover, derived from the schema's descriptions so no
 * field repeats it by hand: each field's `title` is its path as docs/config.md
 * writes it (`restApi.endpoints[].cache.ttlSeconds`, `handlers.<name>.memoryMb`),
 * `markdownDescription` (the YAML language server's extension keyword) is the
 * description as written, with its `code` spans, and `description` becomes plain
 * text. The validator is compiled from the schema without these annotations.
 */
export function editorSchema(schema: Node): Node {
  const annotate = (node: unknown, path: string | undefined): unknown => {
    if (!isNode(node)) return node;
    const out: Node = {};
    if (path !== undefined && typeof node.description === 'string') out.title = path;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'description' && typeof value === 'string') {
        out.description = plain(value);
        out.markdownDescription = value;
      } else if ((key === 'properties' || key === 'patternProperties' || key === 'definitions') && isNode(value)) {
        const children: Node = {};
        for (const [name, child] of Object.entries(value)) {
          const childPath =
            key === 'properties' ? (path ? `${path}.${name}` : name) : key === 'patternProperties' ? `${path ?? ''}.${placeholder(path)}` : name === 'overlay' ? 'environments.<name>' : undefined;
          children[name] = annotate(child, childPath);
        }
        out[key] = children;
      } else if (key === 'items') {
        out[key] = annotate(value, path ? `${path}[]` : undefined);
      } else if (key === 'additionalProperties' && isNode(value)) {
        out[key] = annotate(value, path ? `${path}.${placeholder(path)}` : undefined);
      } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
        out[key] = value.map((branch) => annotate(branch, path));
      } else {
        out[key] = value;
      }
    }
    return out;
  };
  return annotate(schema, undefined) as Node;
}

/** `<name>` for the maps whose keys are names (handlers, caches, clusters, environments), `<key>` for the rest. */
function placeholder(path: string | undefined): string {
  const last = (path ?? '').split('.').pop() ?? '';
  return ['handlers', 'redis', 'dax', 'environments'].includes(last) ? '<name>' : '<key>';
}

/** The published schema as `cachestack schema` prints it (with the editor annotations): 2-space JSON and a newline. */
export function schemaJson(): string {
  return `${JSON.stringify(editorSchema(PUBLISHED_SCHEMA as Node), null, 2)}\n`;
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
