import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SCHEMA_FILE, schemaJson } from '../../src/cli/generated';

const ROOT = join(__dirname, '..', '..');

/** Keywords of JSON Schema draft-07 (validation, core and annotations), which the YAML language server implements. */
const DRAFT7_KEYWORDS = new Set([
  '$schema', '$id', '$ref', '$comment', 'title', 'description', 'default', 'examples', 'readOnly', 'writeOnly',
  'type', 'enum', 'const', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum',
  'maxLength', 'minLength', 'pattern', 'format', 'items', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems',
  'contains', 'maxProperties', 'minProperties', 'required', 'properties', 'patternProperties', 'additionalProperties',
  'dependencies', 'propertyNames', 'if', 'then', 'else', 'allOf', 'anyOf', 'oneOf', 'not', 'definitions',
  'contentMediaType', 'contentEncoding',
  // the YAML language server's (and VS Code's) extension: hover text rendered as markdown
  'markdownDescription',
]);

/** Every subschema with the JSON pointer that reaches it. */
function* subschemas(schema: unknown, pointer = '#'): Generator<[string, Record<string, unknown>]> {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Record<string, unknown>;
  yield [pointer, s];
  for (const key of ['properties', 'patternProperties', 'definitions'] as const) {
    for (const [name, child] of Object.entries((s[key] as Record<string, unknown>) ?? {})) yield* subschemas(child, `${pointer}/${key}/${name}`);
  }
  for (const key of ['items', 'additionalProperties', 'propertyNames', 'not'] as const) yield* subschemas(s[key], `${pointer}/${key}`);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, child] of ((s[key] as unknown[]) ?? []).entries()) yield* subschemas(child, `${pointer}/${key}/${i}`);
  }
}

describe('schema/cachestack.schema.json', () => {
  const committed = readFileSync(join(ROOT, SCHEMA_FILE), 'utf8');
  const schema = JSON.parse(committed) as Record<string, unknown>;

  it('GIVEN the schema source WHEN printed THEN the committed file is identical (else run `npm run schema`)', () => {
    expect(committed).toBe(schemaJson());
  });

  it('GIVEN the file WHEN read by the YAML language server THEN it declares draft-07 and an absolute $id', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/^https:\/\/[^\s]+\.schema\.json$/);
    expect(committed.endsWith('}\n')).toBe(true);
    expect(committed).toContain('\n  "');
  });

  it('GIVEN every subschema WHEN inspected THEN it uses draft-07 keywords only and every $ref resolves inside the file', () => {
    for (const [pointer, s] of subschemas(schema)) {
      for (const key of Object.keys(s)) expect(`${pointer}: ${DRAFT7_KEYWORDS.has(key) ? 'ok' : key}`).toBe(`${pointer}: ok`);
      if (typeof s.$ref === 'string') {
        expect(s.$ref.startsWith('#/definitions/')).toBe(true);
        expect((schema.definitions as Record<string, unknown>)[s.$ref.slice('#/definitions/'.length)]).toBeDefined();
      }
    }
  });

  it('GIVEN every property WHEN an editor hovers it THEN it has a description, and enums and defaults are of the declared type', () => {
    for (const [pointer, s] of subschemas(schema)) {
      if (!/\/properties\/[^/]+$/.test(pointer)) continue;
      expect(`${pointer}: ${typeof s.description}`).toBe(`${pointer}: string`);
      const type = s.type as string | undefined;
      const fits = (v: unknown) =>
        type === undefined ||
        (type === 'integer' ? Number.isInteger(v) : type === 'object' ? typeof v === 'object' && !Array.isArray(v) : type === 'array' ? Array.isArray(v) : typeof v === type);
      for (const value of (s.enum as unknown[]) ?? []) expect(`${pointer}: ${fits(value)}`).toBe(`${pointer}: true`);
      if (s.default !== undefined) expect(`${pointer} default: ${fits(s.default)}`).toBe(`${pointer} default: true`);
    }
  });

  it('GIVEN every field WHEN an editor hovers it THEN the title is its path as docs/config.md writes it and markdown carries the code spans', () => {
    const docs = readFileSync(join(ROOT, 'docs', 'config.md'), 'utf8');
    let fields = 0;
    for (const [pointer, s] of subschemas(schema)) {
      if (typeof s.description !== 'string') continue;
      expect(`${pointer}: ${String(s.description).includes('`')}`).toBe(`${pointer}: false`);
      expect(typeof s.markdownDescription).toBe('string');
      expect(String(s.markdownDescription).replace(/`/g, '')).toBe(s.description);
      if (pointer === '#') continue;
      expect(typeof s.title).toBe('string');
      expect(s.title).not.toBe('cachestack service config');
      if (/\/properties\/[^/]+$/.test(pointer) && !pointer.includes('/definitions/')) {
        fields++;
        expect(`${pointer}: ${docs.includes(`| \`${String(s.title)}\` |`)}`).toBe(`${pointer}: true`);
      }
    }
    expect(fields).toBeGreaterThan(100);
    const handlers = schema.properties as Record<string, { patternProperties: Record<string, { properties: Record<string, { title: string }> }> }>;
    expect(Object.values(handlers.handlers.patternProperties)[0].properties.memoryMb.title).toBe('handlers.<name>.memoryMb');
  });

  it('GIVEN the example service WHEN checked against the file with ajv (draft-07, strict) THEN it is valid, and a typo is not', () => {
    const validate = new Ajv({ strict: true, allErrors: true, keywords: ['markdownDescription'] }).compile(schema);
    const example = parse(readFileSync(join(ROOT, 'config', 'user-service.yaml'), 'utf8'));
    expect(validate(example) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...example, handlers: { x1: { entry: 'a.ts', memoryMB: 512 } } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'memoryMB' } });
  });
});
