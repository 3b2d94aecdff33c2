/**
 * The precompiled validator (src/config/generated/validate.ts) must be the one
 * ajv compiles from today's publishedSchema(); and every pattern of that schema
 * must have words in the schema check, so no user ever sees a bare regex.
 */
import * as fs from 'fs';
import { GENERATED_SCHEMA_DATA_PATH, GENERATED_VALIDATOR_PATH, generateSchemaDataSource, generateValidatorSource } from '../../src/config/generated/generate';
import { PUBLISHED_SCHEMA } from '../../src/config/generated/schema-data';
import { publishedSchema } from '../../src/config/schema';
import { PATTERN_WORDS } from '../../src/config/schema-check';

function patternsOf(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => patternsOf(s, out));
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      if (k === 'pattern' && typeof v === 'string') out.add(v);
      else if (k === 'patternProperties' && v && typeof v === 'object') Object.keys(v).forEach((p) => out.add(p));
      patternsOf(v, out);
    }
  }
  return out;
}

describe('generated schema validator', () => {
  it('GIVEN the committed validator WHEN regenerated from publishedSchema() THEN it is identical (run `npm run generate:validator` when this fails)', () => {
    expect(fs.readFileSync(GENERATED_VALIDATOR_PATH, 'utf8') === generateValidatorSource()).toBe(true);
  });

  it('GIVEN the committed schema data WHEN regenerated from publishedSchema() THEN it is identical (run `npm run generate:validator` when this fails)', () => {
    expect(fs.readFileSync(GENERATED_SCHEMA_DATA_PATH, 'utf8') === generateSchemaDataSource()).toBe(true);
    expect(PUBLISHED_SCHEMA).toEqual(publishedSchema());
  });

  it('GIVEN every pattern of the published schema THEN the schema check can say it in words', () => {
    const missing = [...patternsOf(publishedSchema())].filter((p) => PATTERN_WORDS[p] === undefined);
    expect(missing).toEqual([]);
  });
});
