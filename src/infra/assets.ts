/**
 * Packaged code as synthesis sees it: zips that `src/package` already wrote next
 * to the stack. Synthesis only references them, so it never reads a file.
 */

/** One deterministic zip holding `index.js`. */
export interface HandlerAsset {
  /** Zip path relative to the stack directory, `/` separators, e.g. `assets/profile-3f2a9c1e.zip`. */
  path: string;
  /** Base64 SHA-256 of the zip bytes: Terraform's `source_code_hash`. */
  sha256: string;
}

/** The zips of one stack. */
export interface StackAssets {
  /** By handler name; every handler of the model has one. */
  handlers: Record<string, HandlerAsset>;
  /** The warmer's zip; needed when the model has an enabled warmer and a `warm: true` handler. */
  warmer?: HandlerAsset;
}

/** `filename` of a function: the zip inside the stack directory, whatever directory Terraform runs from. */
export function assetFilename(asset: HandlerAsset): string {
  return `\${path.module}/${asset.path}`;
}
