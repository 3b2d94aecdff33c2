/**
 * Overlay merge semantics and provenance: which YAML node wrote a field of an
 * environment's merged config.
 */
import { parseSource } from '../../src/config/parse';
import { checkSchema } from '../../src/config/schema-check';
import { baseOf, environmentNames, mergeOverlay, Provenance } from '../../src/config/environments';
import { lineCounterOf, positionOf } from '../../src/config/diagnostics';
import { rangeOf, type Segment } from '../../src/config/locate';
import { MINIMAL, places, TempDir } from './helpers';

describe('mergeOverlay', () => {
  const base = { a: { x: 1, y: [1, 2, 3], z: { deep: true } }, list: [{ n: 1 }, { n: 2 }], s: 'base' };

  it('GIVEN maps on both sides WHEN merged THEN they merge by key; lists and scalars are replaced whole', () => {
    const merged = mergeOverlay(base, { a: { x: 2, y: [9] }, list: [{ n: 3 }], s: 'over' });
    expect(merged).toEqual({ a: { x: 2, y: [9], z: { deep: true } }, list: [{ n: 3 }], s: 'over' });
  });

  it('GIVEN an overlay naming entries and sections the base lacks WHEN merged THEN they are added, nothing throws', () => {
    expect(mergeOverlay(base, { b: { new: 1 }, a: { extra: [1] } })).toEqual({ ...base, a: { ...base.a, extra: [1] }, b: { new: 1 } });
    expect(mergeOverlay({ a: 1 }, { a: { now: 'a map' } })).toEqual({ a: { now: 'a map' } });
    expect(mergeOverlay({ a: { m: 1 } }, { a: null })).toEqual({ a: null });
  });

  it('GIVEN a merge WHEN done THEN neither input is changed', () => {
    const before = JSON.stringify(base);
    const overlay = { a: { x: 5 } };
    mergeOverlay(base, overlay);
    expect(JSON.stringify(base)).toBe(before);
    expect(overlay).toEqual({ a: { x: 5 } });
  });

  it('GIVEN a config WHEN split THEN the base has no environments and names keep file order', () => {
    const raw = { version: 1, environments: { prod: {}, dev: {} } };
    expect(baseOf(raw)).toEqual({ version: 1 });
    expect(environmentNames(raw)).toEqual(['prod', 'dev']);
    expect(environmentNames({ environments: 'x' })).toEqual([]);
  });
});

describe('Provenance', () => {
  const text = [
    'version: 1', //                                   1
    'service: svc', //                                 2
    'region: us-east-1', //                            3
    'handlers:', //                                    4
    '  api:', //                                       5
    '    entry: ok.ts', //                             6
    '    memoryMb: 512', //                            7
    '    timeoutSeconds: 10', //                       8
    'restApi:', //                                     9
    '  name: api', //                                  10
    '  endpoints:', //                                 11
    '    - { path: /a, method: GET, handler: api }', // 12
    '    - { path: /b, method: NOPE, handler: api }', // 13
    '    - { path: /c, method: GET, handler: api }', // 14
    'environments:', //                                15
    '  dev:', //                                       16
    '    handlers:', //                                17
    '      api: { memoryMb: 256 }', //                 18
    '  prod:', //                                      19
    '    restApi:', //                                 20
    '      endpoints:', //                             21
    '        - { path: /p, method: GET, handler: api }', // 22
    '',
  ].join('\n');
  const parsed = parseSource(text, 'svc.yaml');
  const checked = checkSchema(parsed.value);
  const prov = new Provenance(parsed.doc!, checked.value as Record<string, unknown>, checked.indexMaps);
  const at = (path: Segment[], env?: string) => {
    const hit = prov.locate(path, env);
    const start = rangeOf(hit.node)![0];
    const p = positionOf(lineCounterOf(text), start);
    return `${p.line}:${p.column}${hit.complete ? '' : ' (ancestor)'}`;
  };

  it('GIVEN a field the overlay writes WHEN located THEN the overlay node', () => {
    expect(at(['handlers', 'api', 'memoryMb'], 'dev')).toBe('18:24');
  });

  it('GIVEN a field only the base writes WHEN located in an environment THEN the base node', () => {
    expect(at(['handlers', 'api', 'timeoutSeconds'], 'dev')).toBe('8:21');
    expect(at(['handlers', 'api', 'memoryMb'], 'prod')).toBe('7:15');
  });

  it('GIVEN a list the overlay replaces WHEN located THEN inside the overlay list', () => {
    expect(at(['restApi', 'endpoints', 0, 'path'], 'prod')).toBe('22:19');
    expect(at(['restApi', 'name'], 'prod')).toBe('10:9');
  });

  it('GIVEN a list that lost an item to the schema check WHEN located THEN later items keep their own node', () => {
    // The checked value holds endpoints /a and /c; model index 1 is YAML index 2.
    expect(at(['restApi', 'endpoints', 1, 'path'], 'dev')).toBe('14:15');
    expect(prov.locate(['restApi', 'endpoints', 1, 'path'], 'dev').path).toEqual(['restApi', 'endpoints', 2, 'path']);
  });

  it('GIVEN a path the YAML does not write WHEN located THEN the nearest written ancestor', () => {
    expect(at(['handlers', 'api', 'warm'], 'dev')).toBe('18:12 (ancestor)');
    expect(at(['handlers', 'api', 'warm'])).toBe('6:5 (ancestor)');
  });

  it('GIVEN paths into `environments` WHEN located THEN straight into the document', () => {
    expect(at(['environments', 'dev', 'handlers', 'api'], 'prod')).toBe('18:12');
  });

  it('GIVEN written() WHEN asked THEN it follows the merge and ignores what failed the schema', () => {
    expect(prov.written(['handlers', 'api', 'memoryMb'], 'dev')).toBe(true);
    expect(prov.written(['handlers', 'api', 'warm'], 'dev')).toBe(false);
    expect(prov.written(['restApi', 'endpoints', 0, 'path'], 'prod')).toBe(true);
    expect(prov.written(['restApi', 'endpoints', 1], 'prod')).toBe(false);
    expect(prov.written(['restApi', 'endpoints', 1], 'dev')).toBe(true);
    expect(prov.written(['restApi', 'endpoints', 2], 'dev')).toBe(false);
  });
});

describe('environments through loadConfig', () => {
  let tmp: TempDir;
  beforeEach(() => {
    tmp = new TempDir();
  });
  afterEach(() => tmp.remove());

  it('GIVEN a problem only one environment has WHEN loaded THEN it carries that environment and points into its overlay', () => {
    const text = `${MINIMAL}handlers:\n  api:\n    entry: ok.ts\nrestApi:\n  name: api\n  endpoints:\n    - { path: /a, method: GET, handler: api }\nenvironments:\n  dev: {}\n  prod:\n    restApi:\n      endpoints:\n        - { path: /a, method: GET, handler: nosuch }\n`;
    const r = tmp.load([tmp.write('svc.yaml', text)]);
    expect(places(r)).toEqual(['unresolved-reference 16:45']);
    expect(r.diagnostics[0].environment).toBe('prod');
    expect(r.diagnostics[0].path).toBe('restApi.endpoints[0].handler');
  });

  it('GIVEN a problem every environment has WHEN loaded THEN it is reported once, without environment', () => {
    const text = `${MINIMAL}restApi:\n  name: api\n  endpoints:\n    - { path: /a, method: GET, handler: nosuch }\nenvironments:\n  dev: {}\n  prod: {}\n`;
    const r = tmp.load([tmp.write('svc.yaml', text)]);
    expect(places(r)).toEqual(['unresolved-reference 7:41']);
    expect(r.diagnostics[0].environment).toBeUndefined();
  });

  it('GIVEN an overlay naming a handler the base lacks WHEN loaded THEN overlay-unknown-entry and no crash', () => {
    const text = `${MINIMAL}handlers:\n  api:\n    entry: ok.ts\nenvironments:\n  dev:\n    handlers: { apii: { memoryMb: 256 } }\n`;
    const r = tmp.load([tmp.write('svc.yaml', text)]);
    expect(places(r)).toEqual(['overlay-unknown-entry 9:17']);
  });
});
