/**
 * The config front end: files → diagnostics and resolved models. Pure (no cdktf,
 * no console output); bad input is reported, never thrown.
 */
export { loadConfig, type LoadOptions, type LoadResult, type LoadedFile } from './load';
export { resolveInputs, DEFAULT_CONFIG_DIR, type ResolvedInputs } from './inputs';
export { ALL_CODE_META, PHASE_CODES } from './codes';
export { MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_NESTING_DEPTH } from './parse';
export { compareDiagnostics, formatPath, lineCounterOf, positionOf, RULE_CODES } from './diagnostics';
export type { Diagnostic, Position, RelatedLocation, RuleCode, Severity, SourceLocation } from './diagnostics';
export type * from './model';
