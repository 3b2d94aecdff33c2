import * as fs from 'node:fs';
import * as path from 'node:path';
import { configInputs } from '../../main';

describe('main.ts (what `cdktf synth` runs)', () => {
  it('GIVEN CACHESTACK_CONFIG WHEN read THEN commas and the path separator both split it and blanks are dropped', () => {
    expect(configInputs(undefined)).toEqual([]);
    expect(configInputs('')).toEqual([]);
    expect(configInputs('config/a.yaml, config/b.yaml')).toEqual(['config/a.yaml', 'config/b.yaml']);
    expect(configInputs(['x.yaml', 'dir', ''].join(path.delimiter))).toEqual(['x.yaml', 'dir']);
  });

  it('GIVEN cdktf.json WHEN read THEN cdktf runs main.ts with tsx, writes cdktf.out and downloads no providers', () => {
    const config = JSON.parse(fs.readFileSync(path.join(__dirname, '../../cdktf.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ language: 'typescript', app: 'npx tsx main.ts', output: 'cdktf.out' });
    expect(config.terraformProviders).toBeUndefined();
    expect(config.terraformModules).toBeUndefined();
  });
});
