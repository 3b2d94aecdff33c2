import Ajv from 'ajv';
import { renderReport, FORMATS, type Format } from '../../src/cli/format';
import { escapeData, escapeProperty, renderGithub } from '../../src/cli/format/github';
import { renderJson } from '../../src/cli/format/json';
import { Locator, type ValidationReport } from '../../src/cli/format/report';
import { artifactLocation, renderSarif } from '../../src/cli/format/sarif';
import { renderText, sourceWindow } from '../../src/cli/format/text';
import { ALL_CODE_META } from '../../src/config/codes';
import type { Diagnostic } from '../../src/config/diagnostics';
import { expectGolden } from './golden';
import { SAMPLE_RULES, sampleReport, warningsOnlyReport } from './sample';

const options = { color: false, version: '9.9.9', rules: SAMPLE_RULES };
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function oneDiagnostic(text: string, d: Partial<Diagnostic> & Pick<Diagnostic, 'location'>): ValidationReport {
  return {
    files: [{ path: d.location.file, environments: [] }],
    diagnostics: [{ code: 'schema-type', severity: 'error', message: 'bad', path: 'a', ...d }],
    sources: new Map([[d.location.file, text]]),
    strict: false,
  };
}

describe('every format', () => {
  it.each(FORMATS)('GIVEN the sample report WHEN rendered as %s THEN it matches the golden file', (format: Format) => {
    const ext = format === 'json' || format === 'sarif' ? 'json' : 'txt';
    expectGolden(`invalid.${format}.${ext}`, renderReport(format, sampleReport(), options));
  });

  it.each(FORMATS)('GIVEN the same diagnostics in another order WHEN rendered as %s THEN the bytes are identical', (format: Format) => {
    const shuffled = sampleReport();
    const reversed = { ...shuffled, diagnostics: [...shuffled.diagnostics].reverse() };
    expect(renderReport(format, reversed, options)).toBe(renderReport(format, sampleReport(), options));
  });

  it.each(['json', 'sarif'] as const)('GIVEN the sample WHEN rendered as %s THEN the output is exactly one JSON document', (format) => {
    const out = renderReport(format, sampleReport(), options);
    expect(() => JSON.parse(out)).not.toThrow();
    expect(out.endsWith('}\n')).toBe(true);
  });
});

describe('text format', () => {
  it('GIVEN only warnings WHEN rendered THEN the files are valid, and with --strict they are not', () => {
    const lenient = renderText(warningsOnlyReport(false), { color: false });
    expect(lenient).toContain('config/users.yaml: valid, 1 warning\n');
    expect(lenient.endsWith('2 files checked: valid, 1 warning\n')).toBe(true);
    const strict = renderText(warningsOnlyReport(true), { color: false });
    expect(strict).toContain('config/users.yaml: invalid, 0 errors, 1 warning (warnings fail with --strict)\n');
    expect(strict.endsWith('2 files checked: invalid, 0 errors and 1 warning (warnings fail with --strict)\n')).toBe(true);
  });

  it('GIVEN colour WHEN rendered THEN ANSI codes are added and nothing else changes', () => {
    const coloured = renderText(sampleReport(), { color: true });
    expect(coloured).toContain('\u001b[31m');
    expect(stripAnsi(coloured)).toBe(renderText(sampleReport(), { color: false }));
  });

  it('GIVEN a CRLF file with a tab WHEN a diagnostic points into it THEN the caret sits under the node and no CR is printed', () => {
    const text = 'version: 1\r\nservice:\tBad_Name\r\n';
    const start = text.indexOf('Bad_Name');
    const out = renderText(oneDiagnostic(text, { location: { file: 'c.yaml', start, end: start + 8 } }), { color: false });
    expect(out).not.toContain('\r');
    expect(out).toContain('c.yaml:2:10: error[schema-type]: bad\n  field: a\n  2 | service: Bad_Name\n    |          ^^^^^^^^\n');
  });

  it('GIVEN a node spanning lines WHEN rendered THEN the first line is underlined to its end', () => {
    const text = 'a:\n  b: 1\n  c: 2\n';
    const out = renderText(oneDiagnostic(text, { location: { file: 'c.yaml', start: 5, end: 16 } }), { color: false });
    expect(out).toContain('  2 |   b: 1\n    |   ^^^^\n');
  });

  it('GIVEN a diagnostic in a file whose text is unknown WHEN rendered THEN it prints the location without a source line', () => {
    const report: ValidationReport = { ...oneDiagnostic('', { location: { file: 'gone.yaml', start: 0, end: 0 } }), sources: new Map() };
    const out = renderText(report, { color: false });
    expect(out.startsWith('gone.yaml:1:1: error[schema-type]: bad\n  field: a\n\n')).toBe(true);
  });

  it('GIVEN offsets past the end of the text WHEN rendered THEN they are clamped, not thrown', () => {
    const out = renderText(oneDiagnostic('a: 1\n', { location: { file: 'c.yaml', start: 99, end: 120 } }), { color: false });
    expect(out).toContain('c.yaml:2:1:');
  });
});

describe('text format: long lines and many diagnostics', () => {
  /** One error per key of a one-line mapping, as a file of 7,000 unknown keys gives. */
  function oneLineReport(keys: number, extra: (i: number) => string = () => ''): { report: ValidationReport; text: string; starts: number[] } {
    const parts: string[] = [];
    const starts: number[] = [];
    let text = '{';
    for (let i = 0; i < keys; i++) {
      if (i > 0) text += ', ';
      starts.push(text.length);
      const key = `${extra(i)}k${i}`;
      text += `${key}: ${i}`;
      parts.push(key);
    }
    text += '}\n';
    const diagnostics: Diagnostic[] = parts.map((key, i) => ({
      code: 'schema-unknown-key',
      severity: 'error',
      message: `unknown key \`${key}\``,
      path: key,
      location: { file: 'one.yaml', start: starts[i], end: starts[i] + key.length },
    }));
    return { report: { files: [{ path: 'one.yaml', environments: [] }], diagnostics, sources: new Map([['one.yaml', text]]), strict: false }, text, starts };
  }

  /** The source line and the caret line of every diagnostic block. */
  function excerpts(out: string): { source: string; caret: string }[] {
    const lines = out.split('\n');
    const found: { source: string; caret: string }[] = [];
    for (let i = 0; i + 1 < lines.length; i++) {
      if (/^ {2}\d+ \| /.test(lines[i]) && /^ {2} +\| /.test(lines[i + 1])) found.push({ source: lines[i].replace(/^ {2}\d+ \| /, ''), caret: lines[i + 1].replace(/^ {2} +\| /, '') });
    }
    return found;
  }

  it('GIVEN a one-line file of 7,000 errors WHEN rendered THEN 100 are shown, each with at most 120 columns of the line, and one line counts the rest', () => {
    const { report } = oneLineReport(7000);
    const out = renderText(report, { color: false });
    const shown = excerpts(out);
    expect(shown).toHaveLength(100);
    for (const e of shown) expect(e.source.length).toBeLessThanOrEqual(120);
    expect(out).toContain('\n… and 6900 more diagnostics in one.yaml (6900 errors); `cachestack validate --max-diagnostics 0` shows them all\n\none.yaml: invalid, 7000 errors, 0 warnings\n');
    expect(out.endsWith('1 file checked: invalid, 7000 errors and 0 warnings\n')).toBe(true);
    expect(out.length).toBeLessThan(100 * 600);
  });

  it('GIVEN carets at the start, middle and end of a long line WHEN windowed THEN each caret sits under its key, with … where the line was cut', () => {
    const { report, text } = oneLineReport(3000);
    const picked = [0, 5, 1500, 2998, 2999];
    const out = renderText({ ...report, diagnostics: picked.map((i) => report.diagnostics[i]) }, { color: false });
    const shown = excerpts(out);
    expect(shown).toHaveLength(picked.length);
    shown.forEach((e, n) => {
      const key = `k${picked[n]}`;
      const caret = e.caret.indexOf('^');
      expect([key, e.source.slice(caret, caret + key.length)]).toEqual([key, key]);
      expect([key, e.caret.slice(caret)]).toEqual([key, '^'.repeat(key.length)]);
      expect(e.source.length).toBeLessThanOrEqual(120);
    });
    expect(shown[0].source.startsWith('{k0: 0, ')).toBe(true);
    expect(shown[0].source.endsWith('…')).toBe(true);
    expect(shown[2].source.startsWith('…')).toBe(true);
    expect(shown[2].source.endsWith('…')).toBe(true);
    expect(shown[4].source.startsWith('…')).toBe(true);
    expect(shown[4].source.endsWith(text.slice(-40, -1))).toBe(true);
  });

  it('GIVEN tabs, wide characters and surrogate pairs in a long line WHEN windowed THEN a pair is never cut and the caret stays under its key', () => {
    const { report } = oneLineReport(400, (i) => ['\t', '界', '🙂', ''][i % 4]);
    const out = renderText({ ...report, diagnostics: report.diagnostics.filter((_, i) => i % 37 === 0) }, { color: false });
    for (const e of excerpts(out)) {
      expect(e.source).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(e.source).not.toContain('\t');
      const caret = e.caret.indexOf('^');
      expect(e.source.slice(caret)).toMatch(/^( |界|🙂)?k\d+/);
    }
  });

  it('GIVEN a window whose edges fall inside surrogate pairs WHEN cut THEN both pairs are left out whole', () => {
    const line = `a${'🙂'.repeat(30)}zkey${'🙂'.repeat(100)}`;
    const start = line.indexOf('key');
    const w = sourceWindow(line, start + 1, start + 4);
    expect(w.text).toBe(`…${line.slice(23, 139)}…`);
    expect(w.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(w.text.slice(w.caret - 1, w.caret - 1 + w.width)).toBe('key');
  });

  it('GIVEN a line of exactly 120 columns WHEN rendered THEN it is printed whole, as before', () => {
    const text = `a: ${'x'.repeat(117)}\n`;
    const out = renderText(oneDiagnostic(text, { location: { file: 'c.yaml', start: 3, end: 120 } }), { color: false });
    expect(out).toContain(`  1 | a: ${'x'.repeat(117)}\n    |    ${'^'.repeat(117)}\n`);
  });

  it('GIVEN a span longer than the window WHEN windowed THEN the caret ends with the window', () => {
    const text = `a: ${'x'.repeat(500)}\n`;
    const [e] = excerpts(renderText(oneDiagnostic(text, { location: { file: 'c.yaml', start: 3, end: 503 } }), { color: false }));
    expect(e.source).toBe(`a: ${'x'.repeat(116)}…`);
    expect(e.caret).toBe(`   ${'^'.repeat(116)}`);
  });

  it('GIVEN two files over the cap WHEN rendered with a cap of 2 THEN each shows two and counts its rest by severity; with no cap all are shown', () => {
    const d = (file: string, start: number, severity: 'error' | 'warning'): Diagnostic => ({ code: 'schema-type', severity, message: 'bad', path: 'a', location: { file, start, end: start + 1 } });
    const text = 'abcdefgh\n';
    const report: ValidationReport = {
      files: [{ path: 'a.yaml', environments: [] }, { path: 'b.yaml', environments: [] }],
      diagnostics: [d('a.yaml', 0, 'error'), d('a.yaml', 1, 'error'), d('a.yaml', 2, 'warning'), d('a.yaml', 3, 'error'), d('b.yaml', 0, 'warning'), d('b.yaml', 1, 'warning'), d('b.yaml', 2, 'warning')],
      sources: new Map([['a.yaml', text], ['b.yaml', text]]),
      strict: false,
    };
    const out = renderText(report, { color: false, maxDiagnostics: 2 });
    expect(out.match(/^[ab]\.yaml:1:\d+:/gm)).toEqual(['a.yaml:1:1:', 'a.yaml:1:2:', 'b.yaml:1:1:', 'b.yaml:1:2:']);
    expect(out).toContain('    |  ^\n\n… and 2 more diagnostics in a.yaml (1 error and 1 warning); `cachestack validate --max-diagnostics 0` shows them all\n\nb.yaml:1:1:');
    expect(out).toContain('… and 1 more diagnostic in b.yaml (1 warning);');
    expect(out).toContain('a.yaml: invalid, 3 errors, 1 warning\nb.yaml: valid, 3 warnings\n');
    const all = renderText(report, { color: false, maxDiagnostics: Infinity });
    expect(all.match(/^[ab]\.yaml:1:\d+:/gm)).toHaveLength(7);
    expect(all).not.toContain('more diagnostic');
    expect(renderText(report, { color: false })).toBe(all);
    const github = renderGithub(report, { maxDiagnostics: 2 }).split('\n');
    expect(github.filter((l) => l.startsWith('::'))).toHaveLength(4);
    expect(github).toContain('… and 2 more diagnostics in a.yaml (1 error and 1 warning); `cachestack validate --max-diagnostics 0` shows them all');
    expect(renderGithub(report).split('\n').filter((l) => l.startsWith('::'))).toHaveLength(7);
  });

  it('GIVEN 7,000 diagnostics in one file WHEN rendered as json and sarif THEN every one is listed', () => {
    const { report } = oneLineReport(7000);
    expect(JSON.parse(renderJson(report)).diagnostics).toHaveLength(7000);
    expect(JSON.parse(renderSarif(report, { version: '9.9.9', rules: SAMPLE_RULES })).runs[0].results).toHaveLength(7000);
  });
});

describe('json format', () => {
  it('GIVEN the sample WHEN rendered THEN every diagnostic has every key of the stable schema, in order', () => {
    const doc = JSON.parse(renderJson(sampleReport()));
    expect(Object.keys(doc)).toEqual(['version', 'valid', 'strict', 'files', 'diagnostics', 'summary']);
    expect(doc.version).toBe(1);
    for (const d of doc.diagnostics) {
      expect(Object.keys(d)).toEqual(['code', 'severity', 'message', 'path', 'file', 'line', 'column', 'endLine', 'endColumn', 'hint', 'related', 'environment']);
    }
    expect(doc.summary).toEqual({ files: 2, errors: 4, warnings: 1, valid: false });
    const duplicate = doc.diagnostics.find((d: { code: string }) => d.code === 'duplicate-endpoint');
    expect(duplicate.related).toEqual([{ message: 'first defined here', path: 'restApi.endpoints[0]', file: 'config/users.yaml', line: 12, column: 7, endLine: 14, endColumn: 22 }]);
  });
});

describe('github format', () => {
  it('GIVEN text with the characters workflow commands reserve WHEN escaped THEN data keeps `:` and `,`, properties do not', () => {
    expect(escapeData('100%\r\nof a:b,c')).toBe('100%25%0D%0Aof a:b,c');
    expect(escapeProperty('100%\r\nof a:b,c')).toBe('100%25%0D%0Aof a%3Ab%2Cc');
  });

  it('GIVEN a file name with a comma and a message with a newline WHEN rendered THEN each annotation stays on one line', () => {
    const report = oneDiagnostic('x: 1\n', { message: 'two\nlines, 100%', location: { file: 'dir,x/a:b.yaml', start: 3, end: 4 } });
    const [annotation] = renderGithub(report).split('\n');
    expect(annotation).toBe('::error file=dir%2Cx/a%3Ab.yaml,line=1,col=4,endLine=1,endColumn=4,title=cachestack schema-type::two%0Alines, 100%25%0Afield: a');
  });

  it('GIVEN a span over several lines WHEN rendered THEN columns are left out, as GitHub requires', () => {
    const out = renderGithub(sampleReport());
    expect(out).toContain('::error file=config/users.yaml,line=15,endLine=17,title=cachestack duplicate-endpoint::');
  });
});

/**
 * The required properties and value constraints of SARIF 2.1.0 (OASIS standard,
 * sections 3.13 to 3.52) for the objects cachestack writes.
 */
const LEVELS = ['none', 'note', 'warning', 'error'];
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const SARIF_REQUIRED = {
  type: 'object',
  required: ['version', 'runs'],
  properties: { version: { const: '2.1.0' }, $schema: { type: 'string' }, runs: { type: 'array', minItems: 1, items: ref('run') } },
  definitions: {
    run: {
      type: 'object',
      required: ['tool'],
      properties: {
        tool: ref('tool'),
        results: { type: 'array', items: ref('result') },
        artifacts: { type: 'array', items: { type: 'object', properties: { location: ref('artifactLocation') } } },
        columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
      },
    },
    tool: { type: 'object', required: ['driver'], properties: { driver: ref('toolComponent') } },
    toolComponent: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        version: { type: 'string' },
        informationUri: { type: 'string', pattern: '^https?://' },
        rules: { type: 'array', items: ref('reportingDescriptor') },
      },
    },
    reportingDescriptor: {
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string', minLength: 1 },
        shortDescription: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } },
        defaultConfiguration: { type: 'object', properties: { level: { enum: LEVELS } } },
      },
    },
    message: { type: 'object', anyOf: [{ required: ['text'] }, { required: ['id'] }], properties: { text: { type: 'string', minLength: 1 } } },
    result: {
      type: 'object',
      required: ['message'],
      properties: {
        ruleId: { type: 'string' },
        ruleIndex: { type: 'integer', minimum: -1 },
        level: { enum: LEVELS },
        message: ref('message'),
        locations: { type: 'array', items: ref('location') },
        relatedLocations: { type: 'array', items: ref('location') },
      },
    },
    location: {
      type: 'object',
      properties: {
        id: { type: 'integer', minimum: -1 },
        physicalLocation: ref('physicalLocation'),
        message: ref('message'),
        logicalLocations: { type: 'array', items: { type: 'object', properties: { fullyQualifiedName: { type: 'string' }, kind: { type: 'string' } } } },
      },
    },
    physicalLocation: {
      type: 'object',
      anyOf: [{ required: ['address'] }, { required: ['artifactLocation'] }],
      properties: { artifactLocation: ref('artifactLocation'), region: ref('region') },
    },
    // A URI reference: no spaces or backslashes; a relative one never starts with `/`.
    artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', pattern: '^(?!/)[^\\s\\\\]+$' }, uriBaseId: { type: 'string' } } },
    region: {
      type: 'object',
      required: ['startLine'],
      properties: {
        startLine: { type: 'integer', minimum: 1 },
        startColumn: { type: 'integer', minimum: 1 },
        endLine: { type: 'integer', minimum: 1 },
        endColumn: { type: 'integer', minimum: 1 },
      },
    },
  },
};

describe('sarif format', () => {
  const log = () => JSON.parse(renderSarif(sampleReport(), { version: '9.9.9', rules: SAMPLE_RULES }));

  it('GIVEN the sample WHEN rendered THEN the log has every property SARIF 2.1.0 requires', () => {
    const validate = new Ajv({ allErrors: true }).compile(SARIF_REQUIRED);
    const doc = log();
    const valid = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    for (const result of doc.runs[0].results) {
      for (const loc of [...result.locations, ...(result.relatedLocations ?? [])]) {
        const r = loc.physicalLocation.region;
        expect(r.endLine).toBeGreaterThanOrEqual(r.startLine);
        if (r.endLine === r.startLine) expect(r.endColumn).toBeGreaterThanOrEqual(r.startColumn);
      }
    }
  });

  it('GIVEN the rule list WHEN rendered THEN the driver lists one rule per code and every result points at its rule', () => {
    const doc = log();
    const rules = doc.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(SAMPLE_RULES.map((r) => r.code));
    expect(rules.find((r: { id: string }) => r.id === 'api-timeout-exceeds-gateway').defaultConfiguration.level).toBe('warning');
    for (const result of doc.runs[0].results) expect(rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(doc.runs[0].tool.driver).toMatchObject({ name: 'cachestack', version: '9.9.9', informationUri: 'https://cachestack.dev' });
  });

  it('GIVEN every code cachestack reports WHEN listed as SARIF rules THEN each has the full description and help that code scanning requires, from the code table', () => {
    const rules = JSON.parse(renderSarif(sampleReport(), { version: '9.9.9', rules: ALL_CODE_META })).runs[0].tool.driver.rules;
    expect(rules).toHaveLength(ALL_CODE_META.length);
    ALL_CODE_META.forEach((meta, i) => {
      const rule = rules[i];
      expect(rule.id).toBe(meta.code);
      expect(rule.fullDescription.text.toLowerCase()).toBe(meta.description.toLowerCase());
      expect(rule.help.text).toContain(rule.fullDescription.text);
      expect(rule.help.text).toContain(`${meta.code} (${meta.severity})`);
      expect(rule.help.markdown).toContain(`**\`${meta.code}\`**`);
    });
  });

  it('GIVEN a duplicate WHEN rendered THEN the first definition is a related location with a message', () => {
    const duplicate = log().runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'duplicate-endpoint');
    expect(duplicate.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: 'config/users.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 12, startColumn: 7, endLine: 14, endColumn: 22 } },
        message: { text: 'first defined here' },
        logicalLocations: [{ fullyQualifiedName: 'restApi.endpoints[0]', kind: 'property' }],
      },
    ]);
  });

  it('GIVEN relative and absolute paths WHEN turned into artifact locations THEN relative ones are encoded URI references and absolute ones file URLs', () => {
    expect(artifactLocation('config/a b,c.yaml')).toEqual({ uri: 'config/a%20b%2Cc.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('../other/x.yaml')).toEqual({ uri: '../other/x.yaml', uriBaseId: '%SRCROOT%' });
    expect(artifactLocation('/srv/config/x y.yaml')).toEqual({ uri: 'file:///srv/config/x%20y.yaml' });
  });
});

describe('Locator', () => {
  it('GIVEN a node that ends with its line break WHEN located THEN it ends on its own line', () => {
    const locator = new Locator(new Map([['f', 'a: 1\nb: 2\n']]));
    expect(locator.span({ file: 'f', start: 0, end: 5 })).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 5 });
    expect(locator.line('f', 2)).toBe('b: 2');
    expect(locator.line('f', 9)).toBeUndefined();
  });
});
