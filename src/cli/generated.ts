/**
 * Files generated from the sources of truth and committed: the published JSON
 * Schema and the generated parts of docs/config.md. `npm run schema` and
 * `npm run docs` rewrite them; test/cli tests fail when a committed copy is stale.
 */
import { PUBLISHED_SCHEMA } from '../config/generated/schema-data';
import type { Command } from './command';
import { DYNAMODB_ACTIONS, DYNAMODB_INDEX_ACTIONS, S3_BUCKET_READ_ACTIONS, S3_OBJECT_ACTIONS, SECRET_ACTIONS, SNS_ACTIONS, SQS_ACTIONS } from '../config/access';
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
  parts.set('access.actions', accessActionTable());
  return updateGenerated(current, parts);
}

/** The action lists of `handlers.<name>.access` (src/config/access.ts), with the resource each is granted on. */
function accessActionTable(): string {
  const list = (actions: readonly string[]) => [...actions].sort().map((a) => `\`${a}\``).join(', ');
  const rows: [string, string, string, string][] = [
    ['`dynamodb`', '`read`', list(DYNAMODB_ACTIONS.read), '`arn:PARTITION:dynamodb:REGION:ACCOUNT:table/TABLE`'],
    ['`dynamodb`', '`write`', list(DYNAMODB_ACTIONS.write), 'the same table ARN'],
    ['`dynamodb`', 'each of `indexes`', list(DYNAMODB_INDEX_ACTIONS), '`arn:PARTITION:dynamodb:REGION:ACCOUNT:table/TABLE/index/INDEX`'],
    ['`s3`', '`read`', list(S3_OBJECT_ACTIONS.read), '`arn:PARTITION:s3:::BUCKET/PREFIX*` (`BUCKET/*` without `prefix`)'],
    ['`s3`', '`read`', list(S3_BUCKET_READ_ACTIONS), '`arn:PARTITION:s3:::BUCKET`, with the condition `StringLike s3:prefix PREFIX*` (none without `prefix`)'],
    ['`s3`', '`write`', list(S3_OBJECT_ACTIONS.write), '`arn:PARTITION:s3:::BUCKET/PREFIX*` (`BUCKET/*` without `prefix`)'],
    ['`sqs`', '`send`', list(SQS_ACTIONS.send), '`arn:PARTITION:sqs:REGION:ACCOUNT:QUEUE`'],
    ['`sqs`', '`receive`', list(SQS_ACTIONS.receive), 'the same queue ARN'],
    ['`sns`', '`publish`', list(SNS_ACTIONS.publish), '`arn:PARTITION:sns:REGION:ACCOUNT:TOPIC`'],
    ['`secrets`', '(each ARN)', list(SECRET_ACTIONS), 'the secret\'s full ARN, read through `data "aws_secretsmanager_secret"`'],
    ['`statements`', '(each)', 'its `actions`, as written', 'its `resources`, as written'],
  ];
  return [
    '| Access | `actions` | IAM actions | Resource |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    '`readwrite` is `read` and `write` together; `sendreceive` is `send` and `receive`.',
  ].join('\n');
}
