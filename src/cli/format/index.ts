/** The output formats of `cachestack validate` (and of any command that reports diagnostics). */
import { renderGithub } from './github';
import { renderJson } from './json';
import type { CodeInfo, ValidationReport } from './report';
import { renderSarif } from './sarif';
import { renderText } from './text';

export const FORMATS = ['text', 'json', 'github', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  /** Colour in the text format. */
  color: boolean;
  /** cachestack version (SARIF tool driver). */
  version: string;
  /** Every rule code (SARIF rule descriptors). */
  rules: readonly CodeInfo[];
  /** text and github: at most this many diagnostics per file (default `DEFAULT_MAX_DIAGNOSTICS`; `Infinity` for all). json and sarif list all. */
  maxDiagnostics?: number;
}

export function renderReport(format: Format, report: ValidationReport, options: RenderOptions): string {
  switch (format) {
    case 'text':
      return renderText(report, { color: options.color, maxDiagnostics: options.maxDiagnostics });
    case 'json':
      return renderJson(report);
    case 'github':
      return renderGithub(report, { maxDiagnostics: options.maxDiagnostics });
    case 'sarif':
      return renderSarif(report, { version: options.version, rules: options.rules });
  }
}

export { DEFAULT_MAX_DIAGNOSTICS } from './report';
export type { CodeInfo, ReportFile, ValidationReport } from './report';
