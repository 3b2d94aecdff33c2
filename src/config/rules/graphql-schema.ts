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
 * The SDL is validated with graphql-js's SDL rules and then `validateSchema` for
 * type-system rules (`sdl-analysis.ts`); the rules here and in cache-keys,
 * appsync-cache and invalidation read the result through `analyzeMemo`
 * (`sdl.ts`), which keeps it in the analysis cache on disk so that an unchanged
 * schema is analysed once, not on every run.
 */
import type { SourceLocation } from '../diagnostics';
import { analyzeMemo, type SchemaView } from '../sdl';
import type { Rule, RuleContext } from './types';
import { closest, nameList } from './util';

function checkFields(ctx: RuleContext, schema: SchemaView, schemaName: string): void {
  const objectTypes = schema.objectTypeNames();
  ctx.model.graphqlApi!.resolvers.forEach((r, i) => {
    const path = ['graphqlApi', 'resolvers', i, 'field'] as const;
    const named = schema.type(r.typeName);
    const type = named?.kind === 'object' ? named : undefined;
    if (!type) {
      const guess = closest(r.typeName, objectTypes);
      ctx.report({
        code: 'resolver-field-not-in-schema',
        path,
        message: named
          ? `resolver field \`${r.field}\`: \`${r.typeName}\` is not an object type in \`${schemaName}\`; resolvers attach to fields of object types: ${nameList(objectTypes)}`
          : `resolver field \`${r.field}\`: type \`${r.typeName}\` is not in \`${schemaName}\`; object types: ${nameList(objectTypes)}`,
        hint: guess !== undefined ? `did you mean \`${guess}.${r.fieldName}\`?` : undefined,
      });
      return;
    }
    if (schema.field(type, r.fieldName)) return;
    const fields = schema.fieldNames(type);
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
    const result = analyzeMemo(text);
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
