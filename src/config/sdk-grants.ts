/**
 * The bundle half of rule 13: `access-sdk-not-granted`. A handler's bundle
 * imports an AWS SDK client (found in esbuild's metafile by src/package, see
 * `sdkUses`) for a service its role grants nothing on, through `access` or its
 * `connections`: the call would fail with AccessDenied once deployed.
 *
 * Rules run on the model alone; this needs the bundle, so `cachestack synth`
 * (and `cdktf synth`, through main.ts), which bundles anyway, reports it once
 * the handlers are packaged. `cachestack validate` does not: it never runs the
 * bundler or loads cdktf, so editors and pre-commit hooks keep a check that
 * reads only the YAML (docs/config.md says so). The warning points at
 * the handler's `entry` field (the environment overlay's, when the overlay sets
 * it). Pure: the YAML text comes in from the loader's `sources`.
 */
import { accessFieldFor, grantedIamPrefixes } from './access';
import { formatPath, type Diagnostic } from './diagnostics';
import { nodeAt, pointOf, type Segment } from './locate';
import type { ServiceModel } from './model';
import { MAX_NESTING_DEPTH } from './parse';
import { parseYaml, type YamlDocument } from './yaml-tree';

/** One service a bundle calls (src/package's `SdkUse`). */
export interface SdkServiceUse {
  service: string;
  specifier: string;
  importer: string;
}

/** Where `path` of environment `env` is written in `text` (the overlay's node when it writes it). */
function locate(doc: YamlDocument, path: readonly Segment[], env: string | undefined): { start: number; end: number } {
  if (env !== undefined) {
    const over = nodeAt(doc, ['environments', env, ...path]);
    if (over.complete) {
      const [start, end] = pointOf(over);
      return { start, end };
    }
  }
  const [start, end] = pointOf(nodeAt(doc, path));
  return { start, end };
}

function stripEnvironment(d: Diagnostic): string {
  return JSON.stringify([d.code, d.message, d.path, d.location, d.hint ?? null]);
}

/**
 * The warnings for every model (one per handler and service), de-duplicated the
 * way the loader does: one without `environment` when every environment of the
 * file reports it. `uses` is keyed `<stackName>/<handler>`; `sources` maps a
 * model's `sourceFile` to its text.
 */
export function sdkGrantDiagnostics(models: readonly ServiceModel[], uses: ReadonlyMap<string, readonly SdkServiceUse[]>, sources: ReadonlyMap<string, string>): Diagnostic[] {
  const found = new Map<string, { d: Diagnostic; envs: Set<string | undefined> }>();
  const envCount = new Map<string, number>();
  for (const m of models) envCount.set(m.sourceFile, (envCount.get(m.sourceFile) ?? 0) + 1);
  const docs = new Map<string, YamlDocument | undefined>();
  const docOf = (file: string): YamlDocument | undefined => {
    const text = sources.get(file);
    if (text === undefined) return undefined;
    let doc = docs.get(file);
    if (!docs.has(file)) docs.set(file, (doc = parseYaml(text, { maxDepth: MAX_NESTING_DEPTH }).documents[0]));
    return doc;
  };
  for (const m of models) {
    for (const h of m.handlers) {
      const granted = grantedIamPrefixes(h, m);
      for (const use of uses.get(`${m.stackName}/${h.name}`) ?? []) {
        if (granted.has(use.service)) continue;
        const path = ['handlers', h.name, 'entry'];
        // Parsed only for a warning: most synths have none, and a big file costs a second parse.
        const doc = docOf(m.sourceFile);
        const d: Diagnostic = {
          code: 'access-sdk-not-granted',
          severity: 'warning',
          message: `handler \`${h.name}\` imports \`${use.specifier}\` (in ${use.importer}), but its role grants nothing on ${use.service}; its calls would fail with AccessDenied`,
          path: formatPath(path),
          location: { file: m.sourceFile, ...(doc !== undefined ? locate(doc, path, m.environment) : { start: 0, end: 0 }) },
          hint: `grant what the code calls in ${accessFieldFor(use.service)} of handler \`${h.name}\``,
        };
        const key = stripEnvironment(d);
        const entry = found.get(key) ?? { d, envs: new Set() };
        entry.envs.add(m.environment);
        found.set(key, entry);
      }
    }
  }
  const out: Diagnostic[] = [];
  for (const { d, envs } of found.values()) {
    if (envs.size === envCount.get(d.location.file) || envs.has(undefined)) out.push(d);
    else for (const env of [...envs].sort()) out.push({ ...d, environment: env });
  }
  return out;
}
