/**
 * The JSON Schema check as a user meets it: one clear message per mistake, at the
 * right line and column, with a hint where one helps; and the rest of the file still
 * checked by the rules after the failing parts are removed.
 */
import { checkSchema } from '../../src/config/schema-check';
import { MINIMAL, only, places, TempDir, where } from './helpers';

let tmp: TempDir;
beforeEach(() => {
  tmp = new TempDir();
});
afterEach(() => tmp.remove());

const HANDLER = 'handlers:\n  api:\n    entry: ok.ts\n';

function load(body: string) {
  return tmp.load([tmp.write('svc.yaml', `${MINIMAL}${body}`)]);
}

/** A REST API with a stage cache; endpoints follow (each `    - ...` item). */
function restApi(endpoints: string): string {
  return `${HANDLER}restApi:\n  name: api\n  cache: { ttlSeconds: 60 }\n  endpoints:\n${endpoints}`;
}

describe('unions such as `cache: false | {...}`', () => {
  it('GIVEN a cache object with a bad TTL WHEN loaded THEN one schema-type at the TTL, nothing about `false`', () => {
    const r = load(restApi('    - { path: /a, method: GET, handler: api, auth: none, cache: { ttlSeconds: soon } }\n'));
    expect(places(r)).toEqual(['schema-type 11:79']);
    expect(r.diagnostics[0].message).toBe('`ttlSeconds` must be an integer; received string "soon"');
    expect(r.diagnostics[0].path).toBe('restApi.endpoints[0].cache.ttlSeconds');
  });

  it('GIVEN `cache: true` WHEN loaded THEN one schema-type naming both forms, with the `{}` hint', () => {
    const r = load(restApi('    - { path: /a, method: GET, handler: api, auth: none, cache: true }\n'));
    expect(places(r)).toEqual(['schema-type 11:65']);
    expect(r.diagnostics[0].message).toBe('`cache` must be `false` or an object of settings; received boolean true');
    expect(r.diagnostics[0].hint).toBe('write `cache: {}` to turn it on with the defaults');
  });

  it('GIVEN `cache: 5` WHEN loaded THEN one schema-type, no const or enum noise', () => {
    const r = load(restApi('    - { path: /a, method: GET, handler: api, auth: none, cache: 5 }\n'));
    expect(r.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['schema-type: `cache` must be `false` or an object of settings; received number 5']);
  });

  it('GIVEN `cache: false` and `cache: {}` WHEN loaded THEN no diagnostic', () => {
    const r = load(
      restApi('    - { path: /a, method: GET, handler: api, auth: none, cache: false }\n    - { path: /b, method: GET, handler: api, auth: none, cache: { shared: true } }\n'),
    );
    expect(places(r)).toEqual([]);
  });
});

describe('types and enumerations', () => {
  it('GIVEN a number where an enumeration belongs WHEN loaded THEN one schema-type listing the allowed values', () => {
    const r = load(restApi('    - { path: /a, method: 5, handler: api }\n'));
    expect(places(r)).toEqual(['schema-type 11:27']);
    expect(r.diagnostics[0].message).toBe('`method` must be one of `GET`, `POST`, `PUT`, `PATCH`, `DELETE`, `HEAD`, `OPTIONS`, `ANY`; received number 5');
  });

  it('GIVEN a misspelt enumeration value WHEN loaded THEN schema-enum with the nearest value as hint', () => {
    const r = load(restApi('    - { path: /a, method: GET, handler: api, auth: cognitto }\n'));
    const d = only(r, 'schema-enum');
    expect(where(r, d)).toBe('11:52');
    expect(d.message).toBe('`auth` must be one of `none`, `iam`, `cognito`, `lambda`; received string "cognitto"');
    expect(d.hint).toBe('did you mean `cognito`?');
  });

  it('GIVEN a token where an enumeration belongs WHEN loaded THEN the message names its kind, never the token', () => {
    const token = `ghp_${'Z9y8X7w6V5u4T3s2R1q0'.repeat(2).slice(0, 36)}`;
    const r = load(restApi(`    - { path: /a, method: GET, handler: api, auth: ${token} }\n`));
    const d = only(r, 'schema-enum');
    expect(d.message).toMatch(/received string a GitHub .*token \(ghp_… \(40 characters\)\)$/);
    expect(JSON.stringify(r.diagnostics)).not.toContain(token.slice(4));
  });

  it('GIVEN an unquoted redis version WHEN loaded THEN schema-type tells to quote it', () => {
    const r = load('network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa] }\nredis:\n  sessions:\n    version: 7.2\n');
    const d = only(r, 'schema-type');
    expect(where(r, d)).toBe('7:14');
    expect(d.hint).toBe('put the version in quotes so YAML keeps it text: `version: "7.2"`');
  });

  it('GIVEN a quoted number WHEN loaded THEN the hint shows it without quotes', () => {
    const r = load(`${HANDLER}    memoryMb: "512"\n`);
    expect(only(r, 'schema-type').hint).toBe('write the number without quotes: `memoryMb: 512`');
  });
});

describe('unknown keys', () => {
  it.each([
    ['memoryMB', 'did you mean `memoryMb`?'],
    ['timeout', 'did you mean `timeoutSeconds`?'],
    ['colour', undefined],
  ])('GIVEN the unknown handler key %s WHEN loaded THEN schema-unknown-key at the key, hint %s', (key, hint) => {
    const r = load(`${HANDLER}    ${key}: 1\n`);
    const d = only(r, 'schema-unknown-key');
    expect(where(r, d)).toBe('7:5');
    expect(d.path).toBe(`handlers.api.${key}`);
    expect(d.message).toMatch(new RegExp(`^unknown key \`${key}\` in \`handlers.api\`; allowed: access, architecture, connections, entry, `));
    expect(d.hint).toBe(hint);
  });

  it('GIVEN a YAML merge key WHEN loaded THEN the hint says merge keys are not supported', () => {
    const r = load('tags: &t { team: a }\nhandlers:\n  api:\n    <<: { entry: ok.ts }\n    entry: ok.ts\n');
    expect(only(r, 'schema-unknown-key').hint).toBe('YAML merge keys (`<<`) are not supported: write the fields out');
  });
});

describe('names of map entries', () => {
  it('GIVEN a handler name in capitals WHEN loaded THEN one schema-pattern at the name, with a name that fits', () => {
    const r = load('handlers:\n  ProfileApi:\n    entry: ok.ts\n');
    expect(places(r)).toEqual(['schema-pattern 5:3']);
    expect(r.diagnostics[0].message).toBe(
      'invalid handler name `ProfileApi`; expected lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit, 2 to 40 characters',
    );
    expect(r.diagnostics[0].hint).toBe('did you mean `profile-api`?');
  });

  it('GIVEN an environment variable name with a dash WHEN loaded THEN schema-pattern in words', () => {
    const r = load(`${HANDLER}    environment: { LOG-LEVEL: info }\n`);
    expect(places(r)).toEqual(['schema-pattern 7:20']);
    expect(r.diagnostics[0].message).toBe('invalid environment variable name `LOG-LEVEL`; expected letters, digits and underscores, not starting with a digit');
  });

  it('GIVEN an environment name with an underscore WHEN loaded THEN one schema-pattern (propertyNames reported once)', () => {
    const r = load('environments:\n  my_env: {}\n');
    expect(places(r)).toEqual(['schema-pattern 5:3']);
    expect(r.diagnostics[0].hint).toBe('did you mean `my-env`?');
  });
});

describe('required fields, bounds and patterns', () => {
  it('GIVEN a handler without entry WHEN loaded THEN schema-missing-field at the handler name, naming the field', () => {
    const r = load('handlers:\n  api:\n    memoryMb: 256\n');
    const d = only(r, 'schema-missing-field');
    expect(where(r, d)).toBe('5:3');
    expect(d.message).toBe('missing required field `entry` in `handlers.api`');
    expect(d.hint).toMatch(/^`entry`: source file of the handler, relative to the config file/);
  });

  it('GIVEN a file without region WHEN loaded THEN schema-missing-field at the first key, and nothing else runs', () => {
    const r = tmp.load([tmp.write('svc.yaml', '# service\nversion: 1\nservice: svc\n')]);
    expect(places(r)).toEqual(['schema-missing-field 2:1']);
    expect(r.diagnostics[0].message).toBe('missing required field `region` at the top level');
    expect(r.models).toEqual([]);
  });

  it('GIVEN values out of bounds WHEN loaded THEN schema-range names the value and both bounds', () => {
    const r = load(`${HANDLER}    memoryMb: 64\n    export: ""\n`);
    expect(r.diagnostics.map((d) => `${d.code} ${where(r, d)} ${d.message}`)).toEqual([
      'schema-range 7:15 `memoryMb` must be between 128 and 10240; received 64',
      'schema-pattern 8:13 `export` must be a JavaScript identifier (the name of the exported function); received string ""',
    ]);
  });

  it('GIVEN a string too short WHEN loaded THEN schema-range counts characters', () => {
    const r = load('backend:\n  s3: { bucket: ab, key: state }\n');
    const d = only(r, 'schema-range');
    expect(d.message).toBe('`bucket` must be 3 to 63 characters long; received 2 characters ("ab")');
  });

  it('GIVEN a repeated cache key WHEN loaded THEN schema-invalid at the repeat, related to the first', () => {
    const r = load(restApi('    - path: /a\n      method: GET\n      handler: api\n      auth: none\n      cache:\n        keys: [query.a, query.b, query.a]\n'));
    const d = only(r, 'schema-invalid');
    expect(where(r, d)).toBe('16:34');
    expect(d.related?.map((x) => `${x.message} ${where(r, x)}`)).toEqual(['first occurrence 16:16']);
  });
});

describe('environment overlays', () => {
  it('GIVEN an overlay that changes one field deep inside WHEN loaded THEN it passes (nothing is required in an overlay)', () => {
    const r = load(`${HANDLER}environments:\n  dev:\n    handlers: { api: { memoryMb: 256 } }\n`);
    expect(places(r)).toEqual([]);
    expect(r.models.map((m) => [m.stackName, m.handlers[0].memoryMb])).toEqual([
      ['svc-dev', 256],
    ]);
  });

  it('GIVEN overlay mistakes WHEN loaded THEN they point into the overlay', () => {
    const r = load(`${HANDLER}environments:\n  dev:\n    version: 2\n    handlers: { api: { memoryMB: 256, timeoutSeconds: 0 } }\n`);
    expect(places(r)).toEqual(['schema-unknown-key 9:5', 'schema-unknown-key 10:24', 'schema-range 10:55']);
    expect(r.diagnostics[0].hint).toBe('`version` is the same in every environment: set it in the base only');
  });

  it('GIVEN an empty environment entry WHEN loaded THEN schema-type at its name, with the `{}` hint', () => {
    const r = load('environments:\n  dev:\n  prod: {}\n');
    expect(places(r)).toEqual(['schema-type 5:3']);
    expect(r.diagnostics[0].hint).toBe('write `{}` for an environment without changes');
  });
});

describe('rules still run on what passed the schema', () => {
  it('GIVEN a schema error and a broken reference in one file WHEN loaded THEN both are reported in one run', () => {
    const r = load(restApi('    - { path: /a, method: GET, handler: nosuch, auth: none }\n').replace('entry: ok.ts\n', 'entry: ok.ts\n    memoryMB: 1\n'));
    expect(places(r)).toEqual(['schema-unknown-key 7:5', 'unresolved-reference 12:41']);
  });

  it('GIVEN a removed list item WHEN a rule reports a later item THEN path and position are the ones the YAML writes', () => {
    const r = load(
      restApi(
        '    - { path: /a, method: GET, handler: api, auth: none }\n' +
          '    - { path: /b, method: FETCH, handler: api, auth: none }\n' +
          '    - { path: /c, method: GET, handler: nosuch, auth: none }\n',
      ),
    );
    expect(places(r)).toEqual(['schema-enum 12:27', 'unresolved-reference 13:41']);
    expect(only(r, 'unresolved-reference').path).toBe('restApi.endpoints[2].handler');
  });
});

describe('checkSchema', () => {
  it('GIVEN an invalid service name WHEN checked THEN the root is not usable', () => {
    const result = checkSchema({ version: 1, service: 'Bad Name', region: 'us-east-1' });
    expect(result.issues.map((i) => i.code)).toEqual(['schema-pattern']);
    expect(result.usable).toBe(false);
    expect(result.value).toBeUndefined();
  });

  it('GIVEN failures in several places WHEN checked THEN only the failing parts are removed and kept list items are mapped back', () => {
    const result = checkSchema({
      version: 1,
      service: 'svc',
      region: 'us-east-1',
      handlers: { api: { entry: 'a.ts', memoryMb: 'big' }, broken: { memoryMb: 256 } },
      restApi: { name: 'api', endpoints: [{ path: '/x', method: 'NOPE', handler: 'api' }, { path: '/y', method: 'GET', handler: 'api' }] },
    });
    expect(result.usable).toBe(true);
    expect(result.value).toEqual({
      version: 1,
      service: 'svc',
      region: 'us-east-1',
      handlers: { api: { entry: 'a.ts' } },
      restApi: { name: 'api', endpoints: [{ path: '/y', method: 'GET', handler: 'api' }] },
    });
    expect([...result.indexMaps]).toEqual([['restApi\u0000endpoints', [1]]]);
  });

  it('GIVEN a `__proto__` key WHEN checked THEN it is an unknown key and nothing is polluted', () => {
    const value = JSON.parse('{"version":1,"service":"svc","region":"us-east-1","__proto__":{"polluted":true}}');
    const result = checkSchema(value);
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([['schema-unknown-key', ['__proto__']]]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(result.value as object)).toEqual(['version', 'service', 'region']);
  });
});
