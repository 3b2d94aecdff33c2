/**
 * Replacing an output directory so that readers see either the old tree or the
 * new one, never half of each, and a failure leaves the old tree as it was.
 *
 * The new tree is built in a temporary directory next to the target (same
 * parent, so same file system and `rename` is atomic). Then:
 *   1. files Terraform keeps in a stack's working directory (`.terraform/`, the
 *      lock file, local state) move from the old stack directories into the new
 *      ones, so `terraform -chdir=DIR/stacks/<stack> plan` keeps working after a
 *      synth without another `terraform init`, as it does after `cdktf synth`;
 *   2. the old target is renamed aside, the new tree renamed into place;
 *   3. the old tree is deleted.
 * If step 1 or 2 fails, every rename done so far is undone in reverse order.
 *
 * A stack directory the new output no longer has is dropped, unless it holds
 * local Terraform state: the resources it tracks still exist, so the directory is
 * carried over (and reported) rather than deleted with the old tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Entries that Terraform (not synthesis) creates in a stack directory; carried over from the old output. */
export const TERRAFORM_WORKING_FILES = [
  '.terraform',
  '.terraform.lock.hcl',
  '.terraform.tfstate.lock.info',
  'terraform.tfstate',
  'terraform.tfstate.backup',
  'terraform.tfstate.d',
] as const;

/** Local Terraform state (the default workspace's file, its backup, other workspaces). */
const STATE_FILES = ['terraform.tfstate', 'terraform.tfstate.backup', 'terraform.tfstate.d'] as const;

export class OutputDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputDirError';
  }
}

export interface ReplaceOptions {
  /**
   * Stack directories of the old output that the new output does not have are
   * normally dropped. With `true` they are carried into the new tree instead:
   * cdktf-cli lists the stack directories before it runs the app and deletes the
   * ones the new manifest does not name; it fails if one is already gone.
   */
  keepUnlistedStacks?: boolean;
}

/** A new output being built next to its target. */
export interface StagedOutput {
  /** The temporary directory to write into. */
  dir: string;
  /**
   * Moves it into place; throws `OutputDirError` and leaves the old output
   * untouched on failure. Returns the stack directories carried over although
   * the new output does not list them.
   */
  commit(options?: ReplaceOptions): { keptStacks: string[] };
  /** Deletes the temporary directory (safe to call after a commit, and more than once). */
  discard(): void;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e && e.code ? `${e.code}: ${e.message}` : String(error);
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses to replace something that is not a previous synth output: an existing
 * file, or a non-empty directory without `manifest.json` (say `--out src`).
 */
export function checkReplaceable(target: string, display: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OutputDirError(`cannot read output directory ${display} (${describe(e)})`);
  }
  if (!stat.isDirectory()) throw new OutputDirError(`output path ${display} exists and is not a directory; choose another --out`);
  const entries = fs.readdirSync(target);
  if (entries.length > 0 && !entries.includes('manifest.json')) {
    throw new OutputDirError(
      `output directory ${display} is not empty and holds no manifest.json, so it does not look like synth output; refusing to replace it. Choose another --out or empty it`,
    );
  }
}

/** Creates the temporary directory for a new version of `target`. */
export function stageOutput(target: string, display: string): StagedOutput {
  checkReplaceable(target, display);
  const parent = path.dirname(target);
  let dir: string;
  try {
    fs.mkdirSync(parent, { recursive: true });
    dir = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.new-`));
  } catch (e) {
    throw new OutputDirError(`cannot create a temporary directory next to ${display} (${describe(e)})`);
  }
  let done = false;
  return {
    dir,
    discard() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
    commit(options: ReplaceOptions = {}) {
      if (done) throw new Error('output already committed');
      const kept = replace(target, dir, display, options);
      done = true;
      return { keptStacks: kept };
    },
  };
}

function replace(target: string, staged: string, display: string, options: ReplaceOptions): string[] {
  const kept: string[] = [];
  const undo: (() => void)[] = [];
  const rollback = () => {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // keep undoing the rest; the first error is what gets reported
      }
    }
  };
  const move = (from: string, to: string) => {
    fs.renameSync(from, to);
    undo.push(() => fs.renameSync(to, from));
  };

  try {
    if (isDir(target)) {
      const oldStacks = path.join(target, 'stacks');
      const newStacks = path.join(staged, 'stacks');
      const stackNames = isDir(oldStacks) ? fs.readdirSync(oldStacks).filter((n) => isDir(path.join(oldStacks, n))).sort() : [];
      for (const name of stackNames) {
        const oldStack = path.join(oldStacks, name);
        const newStack = path.join(newStacks, name);
        if (isDir(newStack)) {
          for (const entry of TERRAFORM_WORKING_FILES) {
            const from = path.join(oldStack, entry);
            const to = path.join(newStack, entry);
            if (exists(from) && !exists(to)) move(from, to);
          }
        } else if (options.keepUnlistedStacks || STATE_FILES.some((f) => exists(path.join(oldStack, f)))) {
          fs.mkdirSync(newStacks, { recursive: true });
          move(oldStack, newStack);
          kept.push(name);
        }
      }
    }
  } catch (e) {
    rollback();
    throw new OutputDirError(`cannot carry Terraform's working files into the new output for ${display} (${describe(e)}); the previous output is unchanged`);
  }

  let aside: string | undefined;
  try {
    if (exists(target)) {
      aside = `${staged.replace(/\.new-([^/\\]*)$/, '.old-$1')}`;
      move(target, aside);
    }
    move(staged, target);
  } catch (e) {
    rollback();
    throw new OutputDirError(`cannot move the new output into place at ${display} (${describe(e)}); the previous output is unchanged`);
  }
  if (aside) fs.rmSync(aside, { recursive: true, force: true });
  return kept;
}
