/**
 * The analysis of AppSync SDL with graphql-js: parse, `validateSDL` (which keeps
 * each error's location; `buildASTSchema`'s own check would only throw joined
 * messages), `buildASTSchema`, then `validateSchema` for type-system rules; the
 * result is the problems, or a plain-data summary of the schema (`SdlSummary`)
 * that the rules read and the analysis cache stores.
 *
 * Only `sdl.ts` loads this module, and only when the analysis is not cached:
 * graphql-js is not loaded otherwise. Its source text is part of the cache key,
 * so a change here never reads entries written by the code before it; bump
 * `SDL_ANALYSIS_FORMAT` when the summary's shape or meaning changes.
 *
 * AppSync SDL is standard SDL plus AWS scalars (`AWSDateTime`, `AWSJSON`, ...) and
 * authorization directives (`@aws_cognito_user_pools`, `@aws_iam`, ...) that
 * AppSync predefines; they are predefined here too, unless the file defines them
 * itself (some teams declare them for local tooling), so valid AppSync schemas pass.
 */
// Deep imports: the package index loads all of graphql-js (execution,
// subscriptions, utilities), about 60 ms of every validate on our benchmark machine.
import { GraphQLError } from 'graphql/error/GraphQLError';
import { Kind } from 'graphql/language/kinds';
import { parse } from 'graphql/language/parser';
import { Source } from 'graphql/language/source';
import type { DefinitionNode, DocumentNode } from 'graphql/language/ast';
import { isInputObjectType, isObjectType } from 'graphql/type/definition';
import type { GraphQLSchema } from 'graphql/type/schema';
import { validateSchema } from 'graphql/type/validate';
import { buildASTSchema } from 'graphql/utilities/buildASTSchema';
import { validateSDL } from 'graphql/validation/validate';
import type { SdlAnalysis, SdlField, SdlProblem, SdlSummary, SdlType } from './sdl';

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
  // No `undefined` members: the problem is the same object whether computed here or read back from JSON.
  const problem: SdlProblem = hint === undefined ? { kind, message } : { kind, message, hint };
  // The last node in the file: for duplicates graphql-js lists the first definition, then the offending one.
  const node = err.nodes?.filter((n) => n.loc?.source === source).pop();
  if (node?.loc) {
    // Point at the name of a definition rather than its whole body when there is one.
    const named = 'name' in node && node.name && typeof node.name === 'object' && 'loc' in node.name ? node.name.loc : undefined;
    const loc = named ?? node.loc;
    return { ...problem, start: loc.start, end: loc.end };
  }
  if (err.source === source && err.positions?.length) {
    const start = err.positions[0];
    return { ...problem, start, end: tokenEnd(text, start) };
  }
  return problem;
}

/** The plain-data summary of a valid schema: every named type with its fields and their arguments, and the root types. */
export function summarize(schema: GraphQLSchema): SdlSummary {
  const types: SdlType[] = Object.values(schema.getTypeMap()).map((t) => {
    if (isObjectType(t)) {
      const fields = Object.values(t.getFields()).map((f): SdlField => {
        const field: SdlField = { name: f.name, type: String(f.type) };
        if (f.args.length) field.args = f.args.map((a) => ({ name: a.name, type: String(a.type) }));
        return field;
      });
      return { name: t.name, kind: 'object', fields };
    }
    if (isInputObjectType(t)) return { name: t.name, kind: 'input', fields: Object.values(t.getFields()).map((f) => ({ name: f.name, type: String(f.type) })) };
    return { name: t.name, kind: 'other' };
  });
  const summary: SdlSummary = { types };
  const query = schema.getQueryType()?.name;
  const mutation = schema.getMutationType()?.name;
  const subscription = schema.getSubscriptionType()?.name;
  if (query !== undefined) summary.query = query;
  if (mutation !== undefined) summary.mutation = mutation;
  if (subscription !== undefined) summary.subscription = subscription;
  return summary;
}

/**
 * Parse and validate AppSync SDL. Never throws. The result holds no name of the
 * file: graphql-js's messages do not include it, and offsets are into `text`.
 */
export function analyzeSdl(text: string): SdlAnalysis {
  const source = new Source(text, 'schema.graphql');
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
    return { ok: true, summary: summarize(schema) };
  } catch (err) {
    return { ok: false, problems: [{ kind: 'invalid', message: String((err as Error)?.message ?? err).toLowerCase() }] };
  }
}
