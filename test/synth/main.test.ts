import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configInputs } from '../../main';

const ROOT = path.join(__dirname, '../..');

describe('main.ts (what `cdktf synth` runs)', () => {
  it('GIVEN CACHESTACK_CONFIG WHEN read THEN commas and the path separator both split it and blanks are dropped', () => {
    expect(configInputs(undefined)).toEqual([]);
    expect(configInputs('')).toEqual([]);
    expect(configInputs('config/a.yaml, config/b.yaml')).toEqual(['config/a.yaml', 'config/b.yaml']);
    expect(configInputs(['x.yaml', 'dir', ''].join(path.delimiter))).toEqual(['x.yaml', 'dir']);
  });

  it('GIVEN cdktf.json WHEN read THEN cdktf runs the compiled main.ts (no TypeScript runner) in one Node.js process, writes cdktf.out and downloads no providers', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
    // ensure-built.js is preloaded (`-r`) into the process that runs dist/main.js: one Node.js start, not two.
    expect(config).toMatchObject({ language: 'typescript', app: 'node -r ./scripts/ensure-built.js dist/main.js', output: 'cdktf.out' });
    expect(String(config.app)).not.toMatch(/tsx|ts-node|&&|;/);
    expect(config.terraformProviders).toBeUndefined();
    expect(config.terraformModules).toBeUndefined();
  });

  it('GIVEN cdktf.json WHEN read THEN it names a projectId, so cdktf-cli (telemetry on, no CHECKPOINT_DISABLE) never rewrites the file, and no crash reports are sent', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as Record<string, unknown>;
    // Without one, cdktf-cli adds a random projectId to cdktf.json on every checkout's
    // first synth, re-serializing the whole file.
    expect(config.projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // cdktf-cli reads a boolean or the string "true"; anything else is no.
    expect([false, 'false']).toContain(config.sendCrashReports);
  });

  it('GIVEN the app command of cdktf.json WHEN run through a shell as cdktf-cli runs it THEN it writes the same stacks as `cachestack synth`', () => {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')) as { app: string };
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-app-'));
    try {
      const viaApp = path.join(scratch, 'app');
      const viaCli = path.join(scratch, 'cli');
      const env: NodeJS.ProcessEnv = { ...process.env, CDKTF_OUTDIR: viaApp, CHECKPOINT_DISABLE: '1' };
      delete env.CACHESTACK_CONFIG;
      execSync(config.app, { cwd: ROOT, env, stdio: 'pipe' });
      execFileSync(process.execPath, ['bin/cachestack.js', 'synth', '--out', viaCli], { cwd: ROOT, env: { ...env, CDKTF_OUTDIR: '' }, stdio: 'pipe' });
      const manifest = JSON.parse(fs.readFileSync(path.join(viaApp, 'manifest.json'), 'utf8')) as { stacks: Record<string, unknown> };
      expect(Object.keys(manifest.stacks).sort()).toEqual(['user-service-dev', 'user-service-prod']);
      for (const stack of Object.keys(manifest.stacks)) {
        const file = path.join('stacks', stack, 'cdk.tf.json');
        expect(fs.readFileSync(path.join(viaApp, file), 'utf8')).toBe(fs.readFileSync(path.join(viaCli, file), 'utf8'));
      }
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 120000);
});
