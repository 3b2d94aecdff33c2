/** Test helpers for synthesis: a small cdktf app of our own, file-tree hashing, models from the shared builders (test/support/models.ts). */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { Handler, ServiceModel } from '../../src/config/model';
import { synthesizeApp } from '../../src/infra/synthesize';
import type { AppBuilder } from '../../src/synth/pipeline';
import * as shared from '../support/models';
import type { HandlerOverrides } from '../support/models';

/**
 * A small app in the shape src/infra builds (one stack per model, one function
 * per handler referencing its zip through `${path.module}`), so the pipeline can
 * be exercised with real cdktf synthesis independently of the real constructs.
 * `extra` lets a test add something to every stack.
 */
export function miniApp(extra?: (stack: TerraformStack, model: ServiceModel) => void): AppBuilder {
  return (models, assets, outdir) => {
    const app = new App({ outdir });
    for (const model of models) {
      const stack = new TerraformStack(app, model.stackName);
      new AwsProvider(stack, 'aws', { region: model.region, defaultTags: [{ tags: model.tags }] });
      const role = new IamRole(stack, 'role', {
        name: `${model.stackName}-handlers`,
        assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
      });
      for (const h of model.handlers) {
        const asset = assets[model.stackName].handlers[h.name];
        new LambdaFunction(stack, `handler-${h.name}`, {
          functionName: `${model.stackName}-${h.name}`,
          role: role.arn,
          filename: `\${path.module}/${asset.path}`,
          sourceCodeHash: asset.sha256,
          handler: `index.${h.export}`,
          runtime: h.runtime,
          memorySize: h.memoryMb,
          timeout: h.timeoutSeconds,
          environment: { variables: h.environment },
        });
      }
      extra?.(stack, model);
    }
    return synthesizeApp(app);
  };
}

/** A handler whose entry is the absolute path `entryPath`. */
export function handler(name: string, entryPath: string, extra: HandlerOverrides = {}): Handler {
  return shared.handler(name, { entry: entryPath, ...extra });
}

export function model(service: string, environment: string | undefined, handlers: Handler[], baseDir: string): ServiceModel {
  return shared.model({ service, environment, sourceFile: `config/${service}.yaml`, baseDir, tags: { team: 'test' }, handlers });
}

/** Every file under `dir` (sorted, `/` separators), with its bytes. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isSymbolicLink()) out.set(path.relative(dir, full).split(path.sep).join('/'), Buffer.from(`-> ${fs.readlinkSync(full)}`));
      else out.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full));
    }
  };
  walk(dir);
  return out;
}

/** One hash over names, kinds and bytes of a whole tree (directories included, so an added empty one shows). */
export function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, e.name);
      h.update(`${path.relative(dir, full)}\0${e.isDirectory() ? 'd' : 'f'}\0`);
      if (e.isDirectory()) walk(full);
      else h.update(fs.readFileSync(full));
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** Absolute paths of this machine that must never appear in output (each only when it is specific enough to mean something). */
export function machinePaths(...more: string[]): string[] {
  const candidates = [process.cwd(), os.tmpdir(), os.homedir(), path.resolve(__dirname, '../..'), ...more];
  return [...new Set(candidates.map((p) => path.resolve(p)))].filter((p) => p !== path.sep);
}

/**
 * Finds machine paths in a tree: in every text file, and in every file inside
 * every zip (but the installed packages of a Python handler, which are the
 * wheels' published files). A short path such as `/tmp` or `/root` counts when
 * followed by `/` (a path below it), so the word alone in ordinary text does not.
 */
export function findMachinePaths(dir: string, paths: readonly string[]): string[] {
  const hits: string[] = [];
  const scan = (where: string, text: string) => {
    for (const p of paths) if (text.includes(`${p}/`) || text.includes(`"${p}"`)) hits.push(`${where}: ${p}`);
  };
  for (const [file, bytes] of readTree(dir)) {
    if (file.endsWith('.zip')) {
      const entries = Object.entries(unzipSync(new Uint8Array(bytes)));
      // A Python handler's installed packages are the wheels' files as published (the
      // same bytes on every machine); `/tmp/...` in their code or comments is theirs.
      const installed = new Set(entries.map(([n]) => /^([^/]+)-[^/-]+\.dist-info\//.exec(n)?.[1].toLowerCase().replace(/-/g, '_')).filter((n): n is string => n !== undefined));
      for (const [inner, data] of entries) {
        if (installed.has(inner.split('/')[0].toLowerCase())) continue;
        scan(`${file}!${inner}`, Buffer.from(data).toString('utf8'));
      }
    } else scan(file, bytes.toString('utf8'));
  }
  return hits;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}
