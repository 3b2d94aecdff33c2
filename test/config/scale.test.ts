/**
 * A service at the scale issue 16 names: 5,000 cached endpoints and as many cached
 * resolvers (about 1.5 MiB of YAML) is accepted, not refused as too large, and
 * loads into one model with every endpoint. No timing is asserted here; the
 * benchmarks measure it (docs/benchmarks.md).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeGeneratedConfig } from '../../bench/generate';
import { loadConfig, MAX_FILE_BYTES } from '../../src/config';

describe('a config of 5,000 endpoints', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-scale-'));
    fs.writeFileSync(path.join(root, 'package.json'), '{"name":"scale","private":true}\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('GIVEN 5,000 cached endpoints and resolvers (over 1 MiB) WHEN loaded THEN it validates clean into one model with all of them', () => {
    const generated = writeGeneratedConfig(root, 5000);
    const size = fs.statSync(generated.file).size;
    expect(size).toBeGreaterThan(1024 * 1024);
    expect(size).toBeLessThan(MAX_FILE_BYTES);
    const result = loadConfig([generated.file], { cwd: root });
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.models).toHaveLength(1);
    expect(result.models[0].restApi?.endpoints).toHaveLength(5000);
    expect(result.models[0].graphqlApi?.resolvers).toHaveLength(5000);
  }, 120000);
});
