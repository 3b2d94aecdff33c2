/**
 * Every shipped example handler is granted what its code calls, and nothing else:
 *
 * - the real `synth()` bundles every handler with esbuild; every AWS service a
 *   bundle imports a client for (read from the metafile, see
 *   src/package/sdk-imports.ts) is one its role grants something on, and synth
 *   reports no `access-sdk-not-granted`;
 * - the tables the role names are exactly the tables the code names: each
 *   `const X = process.env.NAME ?? 'default'` a handler uses as a `TableName`
 *   (resolved with the handler's `environment`), with the `IndexName`s it
 *   queries as listed indexes; tables read through DAX are the cluster's, not the role's;
 * - every table the code writes to (Put/Update/DeleteItem, boto3's put/update/delete_item)
 *   is in the role's DynamoDbWrite statement (a `read` grant would fail at run time);
 * - explain lists, per handler, the same statements (sids and actions) as the
 *   synthesized role policy.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { grantedIamPrefixes } from '../../src/config/access';
import { loadConfig } from '../../src/config';
import type { Handler, ServiceModel } from '../../src/config/model';
import { buildPlan } from '../../src/plan/explain';
import { synth } from '../../src/synth';
import { ServiceStack } from '../../src/infra/service-stack';
import { assetsFor } from '../infra/model-builder';
import { CONFIG_DIRS, REPO_ROOT, configFiles, type Json } from './support';

Testing.setupJest();
process.env.CHECKPOINT_DISABLE = '1';

const loaded = loadConfig(configFiles(), { cwd: REPO_ROOT });
const models = loaded.models;

/** The source files of a handler: its entry and the relative imports it makes, transitively (example code only). */
function sourcesOf(entryPath: string, seen = new Set<string>()): string[] {
  if (seen.has(entryPath)) return [];
  seen.add(entryPath);
  const text = fs.readFileSync(entryPath, 'utf8');
  const out = [entryPath];
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const base = path.resolve(path.dirname(entryPath), m[1]);
    const file = ['.ts', '/index.ts'].map((ext) => base + ext).find((f) => fs.existsSync(f));
    if (file && !file.includes(`${path.sep}runtime${path.sep}`)) out.push(...sourcesOf(file, seen));
  }
  return out;
}

/** Tables and indexes the code names, split by the client that calls them (DynamoDB directly, or DAX). */
function tablesInCode(h: Handler): { direct: Map<string, Set<string>>; dax: Set<string> } {
  const direct = new Map<string, Set<string>>();
  const dax = new Set<string>();
  for (const file of sourcesOf(h.entryPath)) {
    const text = fs.readFileSync(file, 'utf8');
    const viaDax = /\bdax\(\)\./.test(text);
    const consts = new Map<string, string>();
    for (const m of text.matchAll(/const (\w+) = process\.env\.(\w+) \?\? '([^']+)'/g)) consts.set(m[1], h.environment[m[2]] ?? m[3]);
    // Python handlers (boto3): `NAME = os.environ.get("ENV", "default")` and `TableName=NAME, IndexName="..."`.
    for (const m of text.matchAll(/^(\w+) = os\.environ\.get\("(\w+)", "([^"]+)"\)/gm)) consts.set(m[1], h.environment[m[2]] ?? m[3]);
    for (const m of text.matchAll(/TableName=(\w+),(?:\s*IndexName="([^"]+)",)?/g)) {
      const table = consts.get(m[1]);
      if (!table) throw new Error(`${file}: TableName=${m[1]} is not an os.environ constant`);
      const set = direct.get(table) ?? new Set<string>();
      if (m[2]) set.add(m[2]);
      direct.set(table, set);
    }
    // Each call that names a table: `TableName: X` (and `IndexName: '...'` in the same object), or a BatchGetItem `[X]:` key.
    for (const m of text.matchAll(/TableName: (\w+),(?:\s*IndexName: '([^']+)',)?/g)) {
      const table = consts.get(m[1]);
      if (!table) throw new Error(`${file}: TableName ${m[1]} is not a process.env constant`);
      if (viaDax) dax.add(table);
      else {
        const set = direct.get(table) ?? new Set<string>();
        if (m[2]) set.add(m[2]);
        direct.set(table, set);
      }
    }
    for (const m of text.matchAll(/\[(\w+)\]: \{ Keys/g)) {
      const table = consts.get(m[1]);
      if (table) direct.set(table, direct.get(table) ?? new Set());
    }
  }
  return { direct, dax };
}

/** Tables the code writes to directly: `new PutItemCommand({ TableName: X` (Update/Delete too) or boto3's `.put_item(TableName=X,` (update_item, delete_item). */
function tablesWrittenInCode(h: Handler): Set<string> {
  const out = new Set<string>();
  for (const file of sourcesOf(h.entryPath)) {
    const text = fs.readFileSync(file, 'utf8');
    const consts = new Map<string, string>();
    for (const m of text.matchAll(/const (\w+) = process\.env\.(\w+) \?\? '([^']+)'/g)) consts.set(m[1], h.environment[m[2]] ?? m[3]);
    for (const m of text.matchAll(/^(\w+) = os\.environ\.get\("(\w+)", "([^"]+)"\)/gm)) consts.set(m[1], h.environment[m[2]] ?? m[3]);
    const calls = [...text.matchAll(/new (?:Put|Update|Delete)ItemCommand\(\{\s*TableName: (\w+),/g), ...text.matchAll(/\.(?:put|update|delete)_item\(\s*TableName=(\w+),/g)];
    for (const m of calls) {
      const table = consts.get(m[1]);
      if (!table) throw new Error(`${file}: the table ${m[1]} written to is not an environment constant`);
      out.add(table);
    }
  }
  return out;
}

function policyStatements(tf: Json, handler: string): Json[] {
  const [, doc] = Object.entries(tf.data.aws_iam_policy_document as Json).find(([k]) => k.startsWith(`handler_${handler}_role_permissions_`))!;
  return doc.statement;
}

describe('shipped examples: access', () => {
  it('GIVEN the shipped configs THEN they load without errors', () => {
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(models.length).toBeGreaterThan(0);
  });

  it('GIVEN every example bundled by synth THEN each AWS SDK client a handler imports is a service its role grants, and synth warns about none', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-access-examples-'));
    try {
      const result = await synth([...CONFIG_DIRS], { cwd: REPO_ROOT, out });
      if (result.status !== 'ok') throw new Error(`synth failed: ${result.status}`);
      expect(result.diagnostics.filter((d) => d.code === 'access-sdk-not-granted')).toEqual([]);
      const uncovered: string[] = [];
      let imports = 0;
      for (const m of models) {
        for (const h of m.handlers) {
          const granted = grantedIamPrefixes(h, m);
          for (const use of result.sdkUses.get(`${m.stackName}/${h.name}`) ?? []) {
            imports += 1;
            if (!granted.has(use.service)) uncovered.push(`${m.stackName}/${h.name}: ${use.specifier} (${use.service})`);
          }
        }
      }
      expect(uncovered).toEqual([]);
      // the examples do import clients: the check saw something
      expect(imports).toBeGreaterThan(10);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 300_000);

  describe.each(models.map((m) => [m.stackName, m] as const))('%s', (_stack, model: ServiceModel) => {
    const tf: Json = JSON.parse(Testing.synth(new ServiceStack(Testing.app(), model, assetsFor(model))));

    it.each(model.handlers.map((h) => [h.name, h] as const))('GIVEN handler %s THEN its role names exactly the tables and indexes its code calls directly, and DAX serves the ones it reads through DAX', (_name, h) => {
      const code = tablesInCode(h);
      const statements = policyStatements(tf, h.name);
      const resources = statements.filter((s) => s.sid.startsWith('DynamoDb')).flatMap((s) => s.resources as string[]);
      const granted = new Map<string, Set<string>>();
      for (const r of resources) {
        const m = /:table\/([^/]+)(?:\/index\/(.+))?$/.exec(r)!;
        const set = granted.get(m[1]) ?? new Set<string>();
        if (m[2]) set.add(m[2]);
        granted.set(m[1], set);
      }
      const plain = (x: Map<string, Set<string>>) => Object.fromEntries([...x].sort().map(([k, v]) => [k, [...v].sort()]));
      expect(plain(granted)).toEqual(plain(code.direct));
      const cluster = model.dax.find((d) => d.name === h.connections.dax?.cluster);
      for (const table of code.dax) expect(cluster?.tables ?? []).toContain(table);
      expect(resources.filter((r) => r.includes('*'))).toEqual([]);
    });

    it.each(model.handlers.map((h) => [h.name, h] as const))('GIVEN handler %s THEN every table its code writes to is in its role\'s DynamoDbWrite statement', (_name, h) => {
      const written = [...tablesWrittenInCode(h)].sort();
      const writable = policyStatements(tf, h.name)
        .filter((st) => st.sid === 'DynamoDbWrite')
        .flatMap((st) => st.resources as string[])
        .map((r) => /:table\/([^/]+)$/.exec(r)?.[1])
        .filter((t): t is string => t !== undefined);
      expect(written.filter((t) => !writable.includes(t))).toEqual([]);
    });

    it('GIVEN explain THEN each handler lists the statements (sids and actions) of its synthesized role policy', () => {
      const plan = buildPlan(model);
      for (const h of plan.handlers) {
        const synthesized = policyStatements(tf, h.name).map((s) => `${s.sid}: ${[...s.actions].sort().join(' ')}`);
        expect(h.grants.map((g) => `${g.sid}: ${g.actions.join(' ')}`)).toEqual(synthesized);
      }
    });
  });
});
