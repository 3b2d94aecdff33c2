/**
 * Metadata of every diagnostic code: the codes the loader's own phases report
 * (files, YAML, JSON Schema) and, through `RULES`, every semantic rule's codes.
 * The CLI's SARIF output and the docs generator read `ALL_CODE_META`.
 */
import { RULES } from './rules';
import type { RuleMeta } from './rules/types';

/** Codes reported by reading, YAML parsing and the JSON Schema check. */
export const PHASE_CODES: readonly RuleMeta[] = [
  { code: 'file-unreadable', severity: 'error', description: 'the file cannot be read (missing, a directory, or no permission).' },
  { code: 'file-too-large', severity: 'error', description: 'the file is larger than 4 MiB, the most a config file or a graphql schema file may hold.' },
  { code: 'file-not-regular', severity: 'error', description: 'the config file, a handler `entry` or `requirements` file, or the graphql schema is a FIFO, a device or a socket, not a regular file (refused without reading it).' },
  {
    code: 'path-outside-project',
    severity: 'error',
    description: 'the config file, a handler `entry` or `requirements` file, or `graphqlApi.schema` resolves (after following symbolic links) outside the project root; pass `--allow-outside-root` to read it anyway.',
  },
  { code: 'file-not-utf8', severity: 'error', description: 'the file contains bytes that are not valid UTF-8.' },
  { code: 'file-empty', severity: 'error', description: 'the file is empty or holds only comments.' },
  { code: 'yaml-syntax', severity: 'error', description: 'the file is not well-formed YAML (or nests deeper than 64 levels, or uses an unknown tag).' },
  { code: 'yaml-duplicate-key', severity: 'error', description: 'a mapping names the same key twice; YAML would silently keep only the last one.' },
  { code: 'yaml-alias-limit', severity: 'error', description: 'anchors and aliases expand to more than 100 copies (refused as a resource-exhaustion risk).' },
  { code: 'yaml-multiple-documents', severity: 'error', description: 'the file holds more than one YAML document; one file describes one service.' },
  { code: 'duplicate-stack', severity: 'error', description: 'two config files checked together give the same stack name (`<service>-<env>`, or `<service>`); their Terraform would overwrite each other.' },
  { code: 'schema-unknown-key', severity: 'error', description: 'a key the config language does not define at this place (often a typo; the hint names the closest key).' },
  { code: 'schema-missing-field', severity: 'error', description: 'a required field is missing.' },
  { code: 'schema-type', severity: 'error', description: 'a value has the wrong type (for example a string where a number belongs).' },
  { code: 'schema-enum', severity: 'error', description: 'a value is not one of the allowed values.' },
  { code: 'schema-range', severity: 'error', description: 'a number, text length or list length is outside its allowed bounds.' },
  { code: 'schema-pattern', severity: 'error', description: 'a text value or a name does not have the required form.' },
  { code: 'schema-invalid', severity: 'error', description: 'a value breaks another schema constraint (for example a list repeats an item).' },
];

/** Every code cachestack reports: the phase codes, then every rule's codes in registry order. */
export const ALL_CODE_META: readonly RuleMeta[] = [...PHASE_CODES, ...RULES.flatMap((r) => r.meta)];
