/**
 * Which AWS services a handler's bundle calls, read from esbuild's metafile (the
 * imports `bundle.ts` records), never from a text search of the code.
 *
 * Counted: an `@aws-sdk/*` package imported by a file of the handler (its own
 * code, a library it bundles), left external because the Lambda runtime
 * provides it, and a bundled SDK that calls a service of its own (the DAX
 * client). Not counted:
 * - imports made by the cachestack runtime kit (`handlers/runtime`): the kit
 *   calls Secrets Manager only for the secrets of `connections`, which the role
 *   is always granted, and only when the YAML names one;
 * - imports made inside an SDK package itself (the DAX client uses the
 *   DynamoDB client's types and marshalling, but calls DAX, not DynamoDB).
 */
import * as path from 'node:path';
import { sdkServiceOf } from '../config/access';
import type { PackageImport } from './bundle';

export interface SdkUse {
  /** IAM prefix of the service: `dynamodb`, `s3`, `secretsmanager`, `dax` ... */
  service: string;
  /** The package, such as `@aws-sdk/client-dynamodb`. */
  specifier: string;
  /** The file that imports it, relative to `cwd`, `/` separators. */
  importer: string;
}

const SDK_PACKAGE_DIRS = [`node_modules${path.sep}@aws-sdk${path.sep}`, `node_modules${path.sep}@amazon-dax-sdk${path.sep}`, `node_modules${path.sep}amazon-dax-client${path.sep}`];

function within(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * One use per service (the first importer in path order), sorted by service.
 * `kitDir` is the runtime kit's directory (`<package root>/handlers/runtime`).
 */
export function sdkUses(imports: readonly PackageImport[], options: { cwd: string; kitDir: string }): SdkUse[] {
  const byService = new Map<string, SdkUse>();
  for (const imp of imports) {
    if (within(options.kitDir, imp.importer)) continue;
    if (SDK_PACKAGE_DIRS.some((d) => imp.importer.includes(d))) continue;
    const service = sdkServiceOf(imp.specifier);
    if (service === undefined) continue;
    const importer = path.relative(options.cwd, imp.importer).split(path.sep).join('/');
    const known = byService.get(service);
    if (!known || importer < known.importer || (importer === known.importer && imp.specifier < known.specifier)) {
      byService.set(service, { service, specifier: imp.specifier.split('/').slice(0, 2).join('/'), importer });
    }
  }
  return [...byService.values()].sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
}
