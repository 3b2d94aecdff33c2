/**
 * Command-line inputs → config files. No argument means `config/`; a directory
 * means every `*.yaml` and `*.yml` directly in it (not in subdirectories), sorted
 * by name; a file is taken as given. A path that does not exist, or a directory
 * without config files, is a usage error (the CLI exits 2).
 */
import { readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export const DEFAULT_CONFIG_DIR = 'config/';

const CONFIG_FILE = /\.ya?ml$/i;

export type ResolvedInputs = { files: string[] } | { error: string };

function join(dir: string, name: string): string {
  return dir.endsWith('/') || dir.endsWith('\\') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The config files named by `args` (paths as written, relative to `cwd` or absolute), without repeats. */
export function resolveInputs(args: readonly string[], cwd: string): ResolvedInputs {
  const given = args.length ? args : [DEFAULT_CONFIG_DIR];
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (p: string) => {
    const abs = resolve(cwd, p);
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push(p);
  };
  for (const arg of given) {
    let isDir: boolean;
    try {
      isDir = statSync(resolve(cwd, arg)).isDirectory();
    } catch {
      return {
        error: args.length
          ? `${arg}: no such file or directory`
          : `no ${DEFAULT_CONFIG_DIR} directory here: name the config files or directories to check`,
      };
    }
    if (!isDir) {
      add(arg);
      continue;
    }
    let names: string[];
    try {
      names = readdirSync(resolve(cwd, arg), { withFileTypes: true })
        .filter((e) => CONFIG_FILE.test(e.name) && (e.isFile() || e.isSymbolicLink()))
        .map((e) => e.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch (err) {
      return { error: `${arg}: cannot list the directory (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
    if (!names.length) return { error: `${arg}: no *.yaml or *.yml files in this directory` };
    for (const name of names) add(join(arg, name));
  }
  return { files };
}
