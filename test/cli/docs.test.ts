import Ajv from 'ajv';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/cli/commands';
import { codeTable, fieldTables, updateGenerated } from '../../src/cli/docs';
import { run } from '../../src/cli/main';
import { DOCS_FILE, renderDocs } from '../../src/cli/generated';
import { loadConfig } from '../../src/config';
import { ALL_CODE_META } from '../../src/config/codes';
import { RULE_CODES } from '../../src/config/diagnostics';
import { publishedSchema } from '../../src/config/schema';
import { NAME_RULES, ResourceNames } from '../../src/infra/naming';
import { captureIo } from './io';

const ROOT = join(__dirname, '..', '..');
const doc = readFileSync(join(ROOT, DOCS_FILE), 'utf8');

/** The doc without its generated parts: what a person wrote. */
const prose = doc.replace(/<!-- BEGIN GENERATED: ([\w.-]+) -->[\s\S]*?<!-- END GENERATED: \1 -->/g, '');

describe('docs/config.md', () => {
  it('GIVEN the schema and the code list WHEN the generated parts are rendered THEN the committed doc is identical (else run `npm run docs`)', () => {
    expect(doc).toBe(renderDocs(doc, ALL_CODE_META, COMMANDS));
  });

  it('GIVEN every rule code WHEN the doc is read THEN each has a row in the code table', () => {
    const table = doc.slice(doc.indexOf('<!-- BEGIN GENERATED: codes -->'), doc.indexOf('<!-- END GENERATED: codes -->'));
    for (const code of RULE_CODES) expect(table).toContain(`| \`${code}\` |`);
  });

  it('GIVEN every section of the schema WHEN the doc is read THEN it has a heading and a field table', () => {
    const schema = publishedSchema() as { properties: Record<string, unknown> };
    for (const key of Object.keys(schema.properties)) expect(doc).toContain(`| \`${key}\` |`);
    for (const name of fieldTables(schema).keys()) {
      const section = name === 'fields.top' ? 'Top level' : name.slice('fields.'.length);
      expect(prose).toContain(`\n### ${section}\n`);
    }
  });

  it('GIVEN the YAML examples WHEN checked against the published schema THEN each is valid (fragments inside a minimal file)', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(publishedSchema());
    const blocks = [...prose.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
    // Leave out the CI workflow and the one-line editor comment.
    const configs = blocks.filter((b) => !b.includes('- run:') && parse(b) !== null);
    expect(configs.length).toBeGreaterThanOrEqual(10);
    for (const block of configs) {
      const value = parse(block) as Record<string, unknown>;
      const file = 'version' in value ? value : { version: 1, service: 'example', region: 'us-east-1', ...value };
      expect({ block, errors: validate(file) ? null : validate.errors }).toEqual({ block, errors: null });
    }
  });

  describe('the complete file', () => {
    const complete = /## A complete file\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(prose)![1];
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cachestack-docs-'));
      mkdirSync(join(dir, 'config'));
      mkdirSync(join(dir, 'handlers', 'examples'), { recursive: true });
      writeFileSync(join(dir, 'handlers', 'examples', 'profile.ts'), 'export const handler = async () => ({ statusCode: 200, body: "{}" });\n');
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('GIVEN the complete file of the doc WHEN loaded with the real loader THEN it has no diagnostics at all', () => {
      writeFileSync(join(dir, 'config', 'user-service.yaml'), complete);
      const result = loadConfig(['config/user-service.yaml'], { cwd: dir });
      expect(result.diagnostics).toEqual([]);
      expect(result.models.map((m) => m.stackName)).toEqual(['user-service-dev', 'user-service-prod']);
    });

    it('GIVEN the typo the text-format example describes WHEN validated THEN the output is the one the doc shows', async () => {
      const typo = complete.replace('      handler: profile\n      auth: cognito', '      handler: profle\n      auth: cognito');
      expect(typo).not.toBe(complete);
      writeFileSync(join(dir, 'config', 'user-service.yaml'), typo);
      const io = captureIo(dir);
      expect(await run(['validate'], io)).toBe(1);
      const shown = /- `text` \(default\)[\s\S]*?```text\n([\s\S]*?)  ```/.exec(prose)![1];
      expect(io.out).toBe(shown.replace(/^ {2}/gm, ''));
    });
  });

  it('GIVEN the naming example and limits in the prose WHEN compared with the naming module THEN they agree', () => {
    expect(new ResourceNames('user-service-production').daxClusterName('hot')).toBe('user-service-cd93af');
    expect(prose).toContain('`user-service-cd93af`');
    expect(NAME_RULES.lambdaFunction.maxLength).toBe(64);
    expect(NAME_RULES.redisReplicationGroup.maxLength).toBe(40);
    expect(NAME_RULES.daxCluster.maxLength).toBe(20);
    expect(prose).toContain('a Lambda function name to 64 characters, an ElastiCache\nreplication group id to 40 and a DAX cluster name to 20');
  });

  it('GIVEN the synthesis reference WHEN the doc is read THEN it is hand-written prose, outside every generated part', () => {
    expect(prose).toContain('\n## What each field becomes in Terraform\n');
  });
});

describe('updateGenerated', () => {
  const parts = new Map([['a', 'new A']]);

  it('GIVEN a marker pair WHEN updated THEN only the text between the markers changes', () => {
    const before = 'intro\n<!-- BEGIN GENERATED: a -->\nold\n<!-- END GENERATED: a -->\noutro\n';
    expect(updateGenerated(before, parts)).toBe('intro\n<!-- BEGIN GENERATED: a -->\nnew A\n<!-- END GENERATED: a -->\noutro\n');
  });

  it('GIVEN a part without markers WHEN updated THEN it throws rather than lose the table', () => {
    expect(() => updateGenerated('no markers\n', parts)).toThrow('the doc has no markers for `a`');
  });

  it('GIVEN markers for an unknown part or unpaired markers WHEN updated THEN it throws', () => {
    expect(() => updateGenerated('<!-- BEGIN GENERATED: b -->\n<!-- END GENERATED: b -->\n', parts)).toThrow('no generated part is called `b`');
    expect(() => updateGenerated('<!-- BEGIN GENERATED: a -->\n<!-- END GENERATED: c -->\n', parts)).toThrow('do not pair up');
  });
});

describe('field and code tables', () => {
  it('GIVEN a schema with nested objects, maps, lists and unions WHEN tabulated THEN every field gets a row with type, default and bounds', () => {
    const tables = fieldTables(publishedSchema());
    const handlers = tables.get('fields.handlers')!;
    expect(handlers).toContain('| `handlers.<name>.memoryMb` | integer | `512` | 128 to 10240 | Memory in MB (CPU grows with it). |');
    expect(handlers).toContain('| `handlers.<name>.entry` | string | required | at least 1 character; pattern');
    const rest = tables.get('fields.restApi')!;
    expect(rest).toContain('| `restApi.endpoints[].cache` | `false` or object |');
    expect(rest).toContain('| `restApi.endpoints[].cache.keys` | list of string | `[]` | no duplicates; each: pattern `^(header\\|query\\|path)');
  });

  it('GIVEN codes WHEN tabulated THEN each row has code, severity, spec rule and description', () => {
    expect(codeTable([{ code: 'x-y', severity: 'warning', description: 'a | b', specRule: 3 }])).toBe(
      '| Code | Severity | Spec rule | What it reports |\n| --- | --- | --- | --- |\n| `x-y` | warning | 3 | a \\| b |',
    );
  });
});
