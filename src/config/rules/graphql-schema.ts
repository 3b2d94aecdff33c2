/**
 * Rule 4 (schema half): the GraphQL schema file exists, is valid AppSync SDL, and
 * has every field a resolver is attached to.
 *
 * What:
 * - `graphql-schema-missing`: `graphqlApi.schema` cannot be read (paths are
 *   relative to the config file);
 * - `graphql-schema-syntax`: the SDL does not parse, or does not build into a
 *   valid schema (unknown types, duplicate fields, no `Query` type, ...). These
 *   diagnostics point INTO the .graphql file, at the offending token;
 * - `resolver-field-not-in-schema`: `resolvers[].field` (`Type.field`) names a
 *   type that is not an object type of the schema, or a field that type lacks.
 *
 * The file is read through the loader (`ctx.readFile`): at most 4 MiB, a regular
 * file, inside the project root. A schema the loader refuses (`path-outside-project`,
 * `file-not-regular`, `file-too-large`, reported at `graphqlApi.schema`) is not
 * looked at here (`ctx.refused`), so none of its lines reaches a diagnostic.
 *
 * Why: AppSync rejects an invalid schema, and a resolver on a missing field, only
 * at deploy time, after Terraform has half-applied the stack. Checking here turns a
 * failed deploy into an error with a line and a column.
 *
 * AppSync SDL is standard SDL plus AWS scalars (`AWSDateTime`, `AWSJSON`, ...) and
 * authorization directives (`@aws_cognito_user_pools`, `@aws_iam`, ...) that
 * AppSync predefines; they are predefined here too, unless the file defines them
 * itself (some teams declare them for local tooling), so valid AppSync schemas pass.
 *
 * The SDL is validated with graphql-js's SDL rules (`validateSDL`, which keeps each
 * error's location; `buildASTSchema`'s own check would only throw joined messages)
 * and then `validateSchema` for type-system rules.
 */
// Deep imports: the package index loads all of graphql-js (execution,
// subscriptions, utilities), about 60 ms of every validate on our benchmark machine.
import { GraphQLError } from 'graphql/error/GraphQLError';
import { Kind } from 'graphql/language/kinds';
import { parse } from 'graphql/language/parser';
import { Source } from 'graphql/language/source';
import type { DefinitionNode, DocumentNode } from 'graphql/language/ast';
import { isObjectType } from 'graphql/type/definition';
import type { GraphQLSchema } from 'graphql/type/schema';
import { validateSchema } from 'graphql/type/validate';
import { buildASTSchema } from 'graphql/utilities/buildASTSchema';
import { validateSDL } from 'graphql/validation/validate';
import type { SourceLocation } from '../diagnostics';
import type { Rule, RuleContext } from './types';
import { closest, nameList } from './util';

/** Scalars AppSync defines for every schema. */
export const APPSYNC_SCALARS = [
  'AWSDate',
  'AWSTime',
  'AWSDateTime',
  'AWSTimestamp',
  'AWSEmail',
  'AWSJSON',
  'AWSURL',
  'AWSPhone',
  'AWSIPAddress',
] as const;

const AUTH_LOCATIONS = 'OBJECT | FIELD_DEFINITION';
const MERGE_LOCATIONS = 'OBJECT | FIELD_DEFINITION | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR';

/** Directives AppSync defines, by name (authorization modes, subscriptions, merged-API directives). */
export const APPSYNC_DIRECTIVES: Record<string, string> = {
  aws_api_key: `directive @aws_api_key on ${AUTH_LOCATIONS}`,
  aws_iam: `directive @aws_iam on ${AUTH_LOCATIONS}`,
  aws_oidc: `directive @aws_oidc on ${AUTH_LOCATIONS}`,
  aws_lambda: `directive @aws_lambda on ${AUTH_LOCATIONS}`,
  aws_cognito_user_pools: `directive @aws_cognito_user_pools(cognito_groups: [String]) on ${AUTH_LOCATIONS}`,
  aws_auth: 'directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION',
  aws_subscribe: 'directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION',
  aws_publish: 'directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION',
  canonical: `directive @canonical on ${MERGE_LOCATIONS}`,
  hidden: `directive @hidden on ${MERGE_LOCATIONS}`,
  renamed: `directive @renamed(to: String!) on ${MERGE_LOCATIONS}`,
};

/** A problem found in the SDL text, with offsets into it when graphql-js knows them. */
export interface SdlProblem {
  kind: 'syntax' | 'invalid';
  message: string;
  hint?: string;
  start?: number;
  end?: number;
}

export type SdlResult = { ok: true; schema: GraphQLSchema } | { ok: false; problems: SdlProblem[] };

/** "Syntax Error: Expected Name, found "}"." → message "expected Name, found "}"", hint from a trailing "Did you mean ...?". */
function splitGraphqlMessage(raw: string): { message: string; hint?: string } {
  let text = raw.replace(/^Syntax Error: /, '').trim();
  let hint: string | undefined;
  const dym = text.indexOf(' Did you mean ');
  if (dym >= 0) {
    hint = text.slice(dym + 1).trim();
    hint = hint.charAt(0).toLowerCase() + hint.slice(1);
    text = text.slice(0, dym).trim();
  }
  text = text.replace(/\.$/, '');
  return { message: text.charAt(0).toLowerCase() + text.slice(1), hint };
}

/** End of the token starting at `start`: a name or number runs on, anything else is one character. */
function tokenEnd(text: string, start: number): number {
  if (start >= text.length) return start;
  const m = /^[_A-Za-z0-9]+/.exec(text.slice(start, start + 256));
  return start + (m ? m[0].length : 1);
}

function definedNames(doc: DocumentNode): { types: Set<string>; directives: Set<string> } {
  const types = new Set<string>();
  const directives = new Set<string>();
  for (const d of doc.definitions) {
    if (d.kind === Kind.DIRECTIVE_DEFINITION) directives.add(d.name.value);
    else if ('name' in d && d.name && d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION) types.add(d.name.value);
  }
  return { types, directives };
}

/** AppSync's predefined scalars and directives that the user's file does not define itself. */
function preludeFor(doc: DocumentNode): DefinitionNode[] {
  const { types, directives } = definedNames(doc);
  const parts: string[] = [];
  for (const s of APPSYNC_SCALARS) if (!types.has(s)) parts.push(`scalar ${s}`);
  for (const [name, def] of Object.entries(APPSYNC_DIRECTIVES)) if (!directives.has(name)) parts.push(def);
  return [...parse(parts.join('\n'), { noLocation: true }).definitions];
}

function problemOf(kind: SdlProblem['kind'], err: GraphQLError, source: Source, text: string): SdlProblem {
  const { message, hint } = splitGraphqlMessage(err.message);
  // The last node in the file: for duplicates graphql-js lists the first definition, then the offending one.
  const node = err.nodes?.filter((n) => n.loc?.source === source).pop();
  if (node?.loc) {
    // Point at the name of a definition rather than its whole body when there is one.
    const named = 'name' in node && node.name && typeof node.name === 'object' && 'loc' in node.name ? node.name.loc : undefined;
    const loc = named ?? node.loc;
    return { kind, message, hint, start: loc.start, end: loc.end };
  }
  if (err.source === source && err.positions?.length) {
    const start = err.positions[0];
    return { kind, message, hint, start, end: tokenEnd(text, start) };
  }
  return { kind, message, hint };
}

/**
 * Parse and validate AppSync SDL. Never throws; `name` labels the text in
 * graphql-js errors only.
 */
export function analyzeSdl(text: string, name: string): SdlResult {
  const source = new Source(text, name);
  let doc: DocumentNode;
  try {
    doc = parse(source);
  } catch (err) {
    if (err instanceof GraphQLError) return { ok: false, problems: [problemOf('syntax', err, source, text)] };
    return { ok: false, problems: [{ kind: 'syntax', message: String((err as Error)?.message ?? err).toLowerCase() }] };
  }
  try {
    const merged: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...preludeFor(doc), ...doc.definitions] };
    const sdlErrors = validateSDL(merged);
    if (sdlErrors.length) return { ok: false, problems: sdlErrors.map((e) => problemOf('invalid', e, source, text)) };
    const schema = buildASTSchema(merged, { assumeValidSDL: true });
    const schemaErrors = validateSchema(schema);
    if (schemaErrors.length) return { ok: false, problems: schemaErrors.map((e) => problemOf('invalid', e, source, text)) };
    return { ok: true, schema };
  } catch (err) {
    return { ok: false, problems: [{ kind: 'invalid', message: String((err as Error)?.message ?? err).toLowerCase() }] };
  }
}

/** Small memo: one schema file is analysed once even when several environments (or rules) use it. */
const memo = new Map<string, SdlResult>();
export function analyzeMemo(text: string, name: string): SdlResult {
  const key = `${name}\u0000${text}`;
  let r = memo.get(key);
  if (!r) {
    r = analyzeSdl(text, name);
    if (memo.size >= 16) memo.delete(memo.keys().next().value as string);
    memo.set(key, r);
  }
  return r;
}

function checkFields(ctx: RuleContext, schema: GraphQLSchema, schemaName: string): void {
  const objectTypes = Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .map((t) => t.name);
  ctx.model.graphqlApi!.resolvers.forEach((r, i) => {
    const path = ['graphqlApi', 'resolvers', i, 'field'] as const;
    const type = schema.getType(r.typeName);
    if (!type || !isObjectType(type)) {
      const guess = closest(r.typeName, objectTypes);
      ctx.report({
        code: 'resolver-field-not-in-schema',
        path,
        message: type
          ? `resolver field \`${r.field}\`: \`${r.typeName}\` is not an object type in \`${schemaName}\`; resolvers attach to fields of object types: ${nameList(objectTypes)}`
          : `resolver field \`${r.field}\`: type \`${r.typeName}\` is not in \`${schemaName}\`; object types: ${nameList(objectTypes)}`,
        hint: guess !== undefined ? `did you mean \`${guess}.${r.fieldName}\`?` : undefined,
      });
      return;
    }
    if (Object.prototype.hasOwnProperty.call(type.getFields(), r.fieldName)) return;
    const fields = Object.keys(type.getFields());
    const guess = closest(r.fieldName, fields);
    ctx.report({
      code: 'resolver-field-not-in-schema',
      path,
      message: `resolver field \`${r.field}\`: type \`${r.typeName}\` has no field \`${r.fieldName}\` in \`${schemaName}\`; its fields: ${nameList(fields)}`,
      hint: guess !== undefined ? `did you mean \`${r.typeName}.${guess}\`?` : `add \`${r.fieldName}\` to \`type ${r.typeName}\` in the schema`,
    });
  });
}

export const graphqlSchemaRule: Rule = {
  id: 'graphql-schema',
  meta: [
    {
      code: 'graphql-schema-missing',
      severity: 'error',
      description: 'the file named by `graphqlApi.schema` cannot be read (paths are relative to the config file).',
      specRule: 4,
    },
    {
      code: 'graphql-schema-syntax',
      severity: 'error',
      description: 'the graphql schema file is not valid appsync sdl (syntax error, unknown type, duplicate definition, no query type); points into the .graphql file.',
      specRule: 4,
    },
    {
      code: 'resolver-field-not-in-schema',
      severity: 'error',
      description: 'a resolver `field` names a type or field that the graphql schema does not have.',
      specRule: 4,
    },
  ],
  check(ctx) {
    const api = ctx.model.graphqlApi;
    if (!api || ctx.refused(api.schemaPath)) return;
    const display = ctx.displayPath(api.schemaPath);
    const text = ctx.readFile(api.schemaPath);
    if (text === undefined) {
      ctx.report({
        code: 'graphql-schema-missing',
        path: ['graphqlApi', 'schema'],
        message: `graphql schema file \`${api.schema}\` cannot be read (looked at \`${display}\`)`,
        hint: 'the path is relative to the config file',
      });
      return;
    }
    const result = analyzeMemo(text, display);
    if (!result.ok) {
      for (const p of result.problems) {
        const location: SourceLocation | undefined =
          p.start !== undefined ? { file: display, start: p.start, end: Math.max(p.end ?? p.start, p.start) } : undefined;
        ctx.report({
          code: 'graphql-schema-syntax',
          path: ['graphqlApi', 'schema'],
          message:
            p.kind === 'syntax'
              ? `graphql schema \`${api.schema}\` does not parse: ${p.message}`
              : `graphql schema \`${api.schema}\` is not valid: ${p.message}`,
          hint: p.hint,
          location,
        });
      }
      return;
    }
    checkFields(ctx, result.schema, api.schema);
  },
};
