/**
 * Whole-process measurement: wall time from spawn to exit (hrtime around a
 * synchronous spawn) and peak resident memory as GNU time reports it (`%M`, the
 * largest RSS of the process or any child it waited for).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Sample {
  wallMs: number;
  peakRssMiB: number;
  exitCode: number;
}

export interface Measurement {
  label: string;
  runs: number;
  medianWallMs: number;
  minWallMs: number;
  maxWallMs: number;
  /** Median of the per-run peaks. */
  peakRssMiB: number;
  exitCode: number;
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Runs before measuring, not reported (warms the OS file cache). */
  warmup?: number;
  runs?: number;
  /** Exit codes that count as success. */
  okExitCodes?: number[];
}

const TIME = '/usr/bin/time';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function sampleOnce(command: string[], options: RunOptions): Sample {
  const dir = mkdtempSync(join(tmpdir(), 'cachestack-bench-'));
  const out = join(dir, 'time.txt');
  try {
    const start = process.hrtime.bigint();
    const res = spawnSync(TIME, ['-f', '%M', '-o', out, ...command], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    if (res.error) throw res.error;
    const exitCode = res.status ?? 1;
    const ok = options.okExitCodes ?? [0];
    if (!ok.includes(exitCode)) {
      throw new Error(`${command.join(' ')} exited ${exitCode}:\n${res.stderr.toString().slice(0, 2000)}${res.stdout.toString().slice(0, 2000)}`);
    }
    const kib = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
    return { wallMs, peakRssMiB: kib / 1024, exitCode };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function measure(label: string, command: string[], options: RunOptions): Measurement {
  for (let i = 0; i < (options.warmup ?? 1); i++) sampleOnce(command, options);
  const runs = options.runs ?? 5;
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) samples.push(sampleOnce(command, options));
  const walls = samples.map((s) => s.wallMs);
  return {
    label,
    runs,
    medianWallMs: median(walls),
    minWallMs: Math.min(...walls),
    maxWallMs: Math.max(...walls),
    peakRssMiB: median(samples.map((s) => s.peakRssMiB)),
    exitCode: samples[0].exitCode,
  };
}

/** A measurement, or why it could not be taken (a big row must not lose the figures of the others). */
export type Outcome = Measurement | { label: string; error: string };

export function tryMeasure(label: string, command: string[], options: RunOptions): Outcome {
  try {
    return measure(label, command, options);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`bench: ${label} failed: ${message}\n`);
    return { label, error: message.split('\n')[0] };
  }
}

export function succeeded(o: Outcome | undefined): o is Measurement {
  return o !== undefined && !('error' in o);
}
