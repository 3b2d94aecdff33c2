/** Runs the bench's anchor apps (bench/baseline-cdktf, bench/baseline-awscdk) directly, as their synth step does, into a temp dir. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export function runAnchor(app: 'baseline-cdktf/main.ts' | 'baseline-awscdk/app.ts', n: number, outdir: string, services = 1): void {
  const res = spawnSync(TSX, [join(ROOT, 'bench', app)], {
    cwd: join(ROOT, 'bench', app.split('/')[0]),
    env: { ...process.env, BENCH_N: String(n), BENCH_SERVICES: String(services), CDKTF_OUTDIR: outdir, CDK_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`${app} exited ${res.status}:\n${res.stderr}\n${res.stdout}`);
}

/** Resource (and data source) type -> how many the document declares. */
export function countTypes(entries: Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of entries) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}
