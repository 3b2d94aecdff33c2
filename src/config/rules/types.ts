/**
 * The contract of a semantic rule: what JSON Schema cannot express.
 *
 * A rule is one module with metadata and a `check` function. It runs once per
 * environment on that environment's resolved model (defaults applied, overlay
 * merged); the engine de-duplicates diagnostics that several environments share.
 * A rule never throws on bad input and never reads files except through the
 * context. It reports YAML field paths (`['handlers', 'profile', 'memoryMb']`,
 * `['restApi', 'endpoints', 3, 'cache', 'keys', 0]`): the engine turns a path into
 * the YAML node that wrote it (the environment overlay's node when the overlay set
 * it, else the base's, else the nearest written ancestor).
 */
import type { Diagnostic, RuleCode, Severity, SourceLocation } from '../diagnostics';
import type { ServiceModel } from '../model';
import type { RawConfig } from '../schema';

export type FieldPath = readonly (string | number)[];

export interface RuleMeta {
  code: RuleCode;
  /** Default severity of the code. */
  severity: Severity;
  /** One line, for docs/config.md and SARIF rule descriptors. */
  description: string;
  /** The rule number in shared/design/config-language.md, when it implements one. */
  specRule?: number;
}

export interface RuleReport {
  code: RuleCode;
  path: FieldPath;
  message: string;
  hint?: string;
  /** Overrides the code's default severity. */
  severity?: Severity;
  /** Other places the diagnostic is about, e.g. the first of two duplicates. */
  related?: { path: FieldPath; message: string }[];
  /** Points into another file (a .graphql schema) instead of at `path`. */
  location?: SourceLocation;
}

export interface RuleContext {
  /** The resolved model of this environment. */
  readonly model: ServiceModel;
  /** This environment's name; `undefined` when the file has no `environments`. */
  readonly environment?: string;
  /** The document as written (base plus `environments`), with parts that failed the schema removed. */
  readonly raw: RawConfig;
  /** True when the YAML writes this path, in the base or in this environment's overlay. */
  written(path: FieldPath): boolean;
  report(report: RuleReport): void;
  /** Absolute path → exists as a file. */
  fileExists(absPath: string): boolean;
  /** Absolute path → text, or `undefined` when it cannot be read (or lies outside the project root). Memoized. */
  readFile(absPath: string): string | undefined;
  /**
   * True when the loader already refused this path with a diagnostic of its own
   * (`path-outside-project`, `file-not-regular`, `file-too-large`): a rule says
   * nothing more about the file.
   */
  refused(absPath: string): boolean;
  /** The path of a file as diagnostics print it (relative to cwd, `/` separators). */
  displayPath(absPath: string): string;
}

export interface Rule {
  /** Kebab-case module id, e.g. `references`. */
  id: string;
  /** The codes this rule reports. */
  meta: readonly RuleMeta[];
  check(ctx: RuleContext): void;
}

export type { Diagnostic };
