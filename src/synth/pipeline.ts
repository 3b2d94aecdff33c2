/**
 * From resolved models to an output directory: package every handler, write the
 * zips next to their stacks, synthesize the cdktf app in memory, make its
 * documents reproducible, write each file once and move them into place (see ./atomic.ts: only files synth wrote are ever replaced
 * or removed, under a lock on the output directory).
 *
 * The cdktf app comes in as a function (`AppBuilder`), so this module never loads
 * cdktf itself: `synth()` passes `synthesizeStacks` from `src/infra`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServiceModel } from '../config/model';
import { DEFAULT_RUNTIME } from '../config/constants';
import { packageHandlers, packageRoot, sdkUses, warmerEntry, type BundleDiagnostic, type HandlerPackage, type PackageRequest, type SdkUse } from '../package';
import { OutputDirError, openOutput, type OutputOptions } from './atomic';
import { mergeManifests, renderDocuments, renderManifest, type ManifestDocument, type NormalizeContext, type PathLeak, type RenderedDocuments } from './normalize';
import { splitModels, stackWeight, SynthWorkers, synthWorkerCount, WorkerCrash, WorkerFailed, WORKERS_ENV, type WorkerBuilder } from './workers';
// Neither module loads cdktf (the third is only a type).
import type { StackAssets } from '../infra/assets';
import { SynthesisError } from '../infra/errors';
import type { SynthesizedApp } from '../infra/synthesize';

/**
 * `synthesizeStacks` of src/infra: one stack per model, synthesized in memory,
 * the documents `manifest.json` and `stacks/<stack>/cdk.tf.json` by path.
 * `outdir` is the staging directory, for an app that has to write (cdktf's App
 * creates it and its `stacks/`).
 */
export type AppBuilder = (models: ServiceModel[], assets: Record<string, StackAssets>, outdir: string) => SynthesizedApp;

/**
 * An `AppBuilder` to load once packaging has started: loading cdktf and the
 * provider classes takes a few hundred ms of one core, and esbuild bundles in
 * its own process meanwhile, so the two overlap.
 */
export interface LazyAppBuilder {
  load(): Promise<AppBuilder>;
  /**
   * Where a worker thread loads the same builder from (a module and the name of
   * its `AppBuilder` export). Only with it are many stacks synthesized in worker
   * threads (./workers.ts).
   */
  worker?: WorkerBuilder;
}

export interface PipelineOptions {
  /** Output directory, relative to `cwd` or absolute. Default `cdktf.out`. */
  out?: string;
  /** Directory relative paths resolve against. Default `process.cwd()`. */
  cwd?: string;
  /** Put `index.js.map` in every zip. Default off (see `sourcemapFromEnv`). */
  sourcemap?: boolean;
  /**
   * Carry stack directories that the new output does not have into it instead
   * of dropping them. Only for running under cdktf-cli, which deletes them
   * itself after the app exits and fails when they are already gone.
   */
  keepUnlistedStacks?: boolean;
  /** Seconds to wait for another synth writing the same output. Default: CACHESTACK_LOCK_TIMEOUT, else 60. */
  lockTimeoutSeconds?: number;
  /** Called at every named step of the commit; for tests. */
  onStep?: OutputOptions['onStep'];
  /**
   * Worker threads to synthesize in (CACHESTACK_SYNTH_WORKERS): 1 for none, N for
   * at most N (one per stack). Default: one per core, at most 4, as many as have
   * enough work, and none for a single stack (see `synthWorkerCount`). Only with
   * a builder that names its `worker` module.
   */
  workers?: number;
}

export interface PackagedFile {
  /** Handler name (`cachestack-warmer` for the warmer). */
  name: string;
  /** Zip path relative to the stack directory. */
  path: string;
  /** Zip size in bytes. */
  bytes: number;
  /** Size of the bundled `index.js`. */
  bundleBytes: number;
}

export interface StackSummary {
  name: string;
  /** Stack directory relative to the output directory. */
  dir: string;
  sourceFile: string;
  environment?: string;
  handlers: PackagedFile[];
  warmer?: PackagedFile;
}

export type PipelineResult =
  | {
      status: 'ok';
      /** Absolute output directory. */
      outPath: string;
      /** Output directory as shown to the user. */
      outDisplay: string;
      stacks: StackSummary[];
      /** esbuild entries bundled (the same entry in several stacks counts once). */
      bundled: number;
      /** Warnings cdktf annotated constructs with (`construct path: message`). */
      notes: string[];
      /** Stack directories no config defines any more, kept because they hold files synth did not write (or for cdktf-cli), with what they hold. */
      keptStacks: { name: string; holds: string[] }[];
      /** Files moved back into the output from an older cachestack's `.<out>.new-*`/`.old-*` trees. */
      recovered: string[];
      /** Such trees that had to be kept, and why. */
      leftovers: string[];
      /** AWS services each handler's bundle calls, by `<stack>/<handler>` (esbuild's metafile; see src/package/sdk-imports.ts). */
      sdkUses: Map<string, SdkUse[]>;
      /** Worker threads the stacks were synthesized in; 0: on the calling thread. */
      workers: number;
    }
  /** A handler did not bundle: exit 1. */
  | { status: 'bundle-error'; errors: BundleDiagnostic[] }
  /** A model that cannot become Terraform although the config checks passed (two files defining one stack; a `SynthesisError` of src/infra): exit 1. */
  | { status: 'model-error'; message: string }
  /** Output directory unusable, or synthesis produced something it must not: exit 2. */
  | { status: 'failed'; message: string };

/** The warmer's handler name in messages and in its zip's file name. */
export const WARMER_NAME = 'cachestack-warmer';
const WARMER_ID = '\0warmer';

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/** `--out` as the user should see it: relative to cwd when inside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? posix(rel) : rel === '' ? '.' : abs;
}

/** Same condition as `hasWarmer` in src/infra/service-stack.ts (not imported: that module loads cdktf). */
function needsWarmer(model: ServiceModel): boolean {
  return model.warmer !== undefined && model.warmer.enabled && model.handlers.some((h) => h.warm);
}

interface Annotation {
  constructPath?: string;
  level?: string;
  message?: string;
}

/** Every stack's annotations, stack by stack in name order (however the manifest was merged). */
function readAnnotations(manifest: ManifestDocument): Annotation[] {
  const stacks = manifest.stacks ?? {};
  return Object.keys(stacks)
    .sort()
    .flatMap((name) => (stacks[name].annotations ?? []) as Annotation[]);
}

/** The documents of several shares as one: files by path, manifests merged. */
function mergeRendered(parts: readonly RenderedDocuments[]): RenderedDocuments {
  if (parts.length === 1) return parts[0];
  return {
    manifest: mergeManifests(parts.map((p) => p.manifest)),
    files: parts.flatMap((p) => p.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    leaks: parts.flatMap((p) => p.leaks),
  };
}

function describeLeak(l: PathLeak): string {
  return `${l.file}${l.at ? ` at ${l.at}` : ''} contains ${l.found}`;
}

export async function synthesizeModels(
  models: readonly ServiceModel[],
  builder: AppBuilder | LazyAppBuilder,
  options: PipelineOptions = {},
): Promise<PipelineResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const outPath = path.resolve(cwd, options.out ?? 'cdktf.out');
  const outDisplay = displayPath(outPath, cwd);

  const byStack = new Map<string, ServiceModel>();
  for (const model of models) {
    const other = byStack.get(model.stackName);
    if (other) {
      return {
        status: 'model-error',
        message: `stack \`${model.stackName}\` is defined by both ${other.sourceFile} and ${model.sourceFile}; every stack name must be unique, so give the services different \`service\` names`,
      };
    }
    byStack.set(model.stackName, model);
  }
  const ordered = [...byStack.values()].sort((a, b) => (a.stackName < b.stackName ? -1 : 1));

  const requests: PackageRequest[] = [];
  for (const model of ordered) {
    for (const h of model.handlers) {
      requests.push({
        id: `${model.stackName}/${h.name}`,
        name: h.name,
        entryPath: h.entryPath,
        export: h.export,
        runtime: h.runtime,
        architecture: h.architecture,
        requirementsPath: h.requirementsPath,
        sourceFile: model.sourceFile,
        projectRoot: model.projectRoot,
        nodeModules: model.projectNodeModules,
      });
    }
    if (needsWarmer(model)) {
      requests.push({ id: `${model.stackName}/${WARMER_ID}`, name: WARMER_NAME, entryPath: warmerEntry(), export: 'handler', runtime: DEFAULT_RUNTIME });
    }
  }
  const packaging = packageHandlers(requests, { cwd, sourcemap: options.sourcemap === true });
  // Workers (or this thread) load cdktf while esbuild bundles.
  const workerCount = typeof builder !== 'function' && builder.worker ? synthWorkerCount(ordered.map(stackWeight), options.workers) : 0;
  const workers = workerCount > 0 ? new SynthWorkers(splitModels(ordered, workerCount), (builder as LazyAppBuilder).worker as WorkerBuilder) : undefined;
  try {
    const loading = typeof builder === 'function' ? Promise.resolve(builder) : workers ? undefined : builder.load();
    loading?.catch(() => undefined); // awaited after packaging; not an unhandled rejection meanwhile
    const loadBuilder = () => loading ?? (builder as LazyAppBuilder).load();
    return await synthesizePackaged(ordered, packaging, loadBuilder, workers, { cwd, outPath, outDisplay, options });
  } finally {
    await workers?.stop();
  }
}

async function synthesizePackaged(
  ordered: ServiceModel[],
  packaging: ReturnType<typeof packageHandlers>,
  loadBuilder: () => Promise<AppBuilder>,
  workers: SynthWorkers | undefined,
  { cwd, outPath, outDisplay, options }: { cwd: string; outPath: string; outDisplay: string; options: PipelineOptions },
): Promise<PipelineResult> {
  const packaged = await packaging;
  if (!packaged.ok) return { status: 'bundle-error', errors: packaged.errors };

  let staged;
  try {
    staged = await openOutput(outPath, outDisplay, {
      keepUnlistedStacks: options.keepUnlistedStacks === true,
      lockTimeoutSeconds: options.lockTimeoutSeconds,
      onStep: options.onStep,
    });
  } catch (e) {
    if (e instanceof OutputDirError) return { status: 'failed', message: e.message };
    throw e;
  }
  try {
    const assets: Record<string, StackAssets> = {};
    const stacks: StackSummary[] = [];
    for (const model of ordered) {
      const assetDir = path.join(staged.dir, 'stacks', model.stackName, 'assets');
      fs.mkdirSync(assetDir, { recursive: true });
      const write = (name: string, pkg: HandlerPackage): PackagedFile => {
        fs.writeFileSync(path.join(assetDir, pkg.fileName), pkg.zip);
        return { name, path: `assets/${pkg.fileName}`, bytes: pkg.zip.length, bundleBytes: pkg.bundleBytes };
      };
      const stackAssets: StackAssets = { handlers: {} };
      const summary: StackSummary = { name: model.stackName, dir: `stacks/${model.stackName}`, sourceFile: model.sourceFile, environment: model.environment, handlers: [] };
      for (const h of model.handlers) {
        const pkg = packaged.packages.get(`${model.stackName}/${h.name}`) as HandlerPackage;
        const file = write(h.name, pkg);
        stackAssets.handlers[h.name] = { path: file.path, sha256: pkg.sha256 };
        summary.handlers.push(file);
      }
      const warmer = packaged.packages.get(`${model.stackName}/${WARMER_ID}`);
      if (warmer) {
        const file = write(WARMER_NAME, warmer);
        stackAssets.warmer = { path: file.path, sha256: warmer.sha256 };
        summary.warmer = file;
      }
      assets[model.stackName] = stackAssets;
      stacks.push(summary);
    }

    const ctx: NormalizeContext = {
      stagedDir: staged.dir,
      finalDir: outPath,
      cwd,
      forbidden: [staged.dir, outPath, cwd, process.cwd(), packageRoot(), os.homedir()],
    };
    const onThisThread = async () => renderDocuments((await loadBuilder())([...ordered], assets, staged.dir).files, ctx);
    let rendered: RenderedDocuments;
    try {
      if (!workers) rendered = await onThisThread();
      else {
        try {
          rendered = mergeRendered(await workers.run({ assets, outdir: staged.dir, ctx }));
        } catch (e) {
          if (e instanceof WorkerCrash) {
            return { status: 'failed', message: `${e.message}; nothing was written. Run synth again, or with ${WORKERS_ENV}=1 to synthesize on one thread` };
          }
          if (!(e instanceof WorkerFailed)) throw e;
          // The same diagnostic (or error) as a synth without workers: synthesize again here.
          await workers.stop();
          rendered = await onThisThread();
        }
      }
    } catch (e) {
      if (!(e instanceof SynthesisError)) throw e;
      return { status: 'model-error', message: `stack \`${e.stackName}\`${e.path ? `, field \`${e.path}\`` : ''}: ${e.message}` };
    }

    const annotations = readAnnotations(rendered.manifest);
    const errors = annotations.filter((a) => a.level === '@cdktf/error');
    if (errors.length > 0) {
      return { status: 'failed', message: `cdktf reported errors:\n${errors.map((a) => `  ${a.constructPath}: ${a.message}`).join('\n')}` };
    }
    const notes = annotations.filter((a) => a.level === '@cdktf/warn').map((a) => `${a.constructPath}: ${a.message}`);

    const manifest = renderManifest(rendered.manifest, ctx);
    const leaks = [...manifest.leaks, ...rendered.leaks].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    if (leaks.length > 0) {
      return {
        status: 'failed',
        message: `the output would contain paths of this machine, so it would differ elsewhere; nothing was written:\n${leaks.map((l) => `  ${describeLeak(l)}`).join('\n')}`,
      };
    }

    const synthesized = new Set(rendered.files.map(([file]) => file));
    const missing = ordered.filter((m) => !synthesized.has(`stacks/${m.stackName}/cdk.tf.json`));
    if (missing.length > 0) {
      return { status: 'failed', message: `synthesis wrote no Terraform for ${missing.map((m) => `\`${m.stackName}\``).join(', ')}; nothing was written` };
    }
    for (const [file, text] of rendered.files) {
      const full = path.join(staged.dir, ...file.split('/'));
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
    fs.writeFileSync(path.join(staged.dir, 'manifest.json'), manifest.text);

    const uses = new Map<string, SdkUse[]>();
    const kitDir = path.join(packageRoot(), 'handlers', 'runtime');
    for (const model of ordered) {
      for (const h of model.handlers) {
        const id = `${model.stackName}/${h.name}`;
        uses.set(id, sdkUses((packaged.packages.get(id) as HandlerPackage).packageImports, { cwd, kitDir }));
      }
    }

    const { keptStacks, recovered, leftovers } = staged.commit();
    return { status: 'ok', outPath, outDisplay, stacks, bundled: packaged.bundled, notes, keptStacks, recovered, leftovers, sdkUses: uses, workers: workers?.count ?? 0 };
  } catch (e) {
    if (e instanceof OutputDirError) return { status: 'failed', message: e.message };
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    if (typeof code === 'string') {
      return { status: 'failed', message: `cannot write the new output inside ${outDisplay} (${code}: ${(e as Error).message}); nothing else in ${outDisplay} was changed. Check the disk and that ${outDisplay} is writable, then run synth again` };
    }
    throw e;
  } finally {
    try {
      staged.release();
    } catch {
      // the staging directory is swept by the next synth
    }
  }
}
