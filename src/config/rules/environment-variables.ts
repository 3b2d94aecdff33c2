/**
 * Handler environment variables: names that are not ours to set, and secrets
 * that must not be in the file.
 *
 * What:
 * - `reserved-environment-variable` (error): a name in `handlers.<h>.environment`
 *   that starts with `CACHESTACK_` (cachestack sets those from `connections`, see
 *   handlers/runtime/contract.ts) or `AWS_` (Lambda and the AWS SDK own that
 *   prefix: `AWS_REGION`, credentials, ...), or is one of Lambda's other reserved
 *   names (`_HANDLER`, `_X_AMZN_TRACE_ID`, `LAMBDA_TASK_ROOT`, `LAMBDA_RUNTIME_DIR`).
 *   Lambda rejects its reserved names at deploy time; a `CACHESTACK_` name would
 *   silently fight the runtime kit's own settings.
 * - `secret-in-environment` (error): a variable whose name says it holds a secret
 *   (a word such as PASSWORD, PASSWD, PWD, PASS, SECRET, TOKEN, CREDENTIAL(S),
 *   PASSPHRASE, or API/PRIVATE/ACCESS/SIGNING/ENCRYPTION/MASTER/HMAC/JWT followed by
 *   KEY) and has a literal value; or any variable whose value is a URL with a
 *   password in it (`postgres://user:pw@host/db`).
 *   Not reported: names that end in a word describing the secret rather than
 *   holding it (`..._ARN`, `..._NAME`, `..._ID`, `..._TTL_SECONDS`, `..._HEADER`,
 *   `..._URL`, `..._MAX_AGE`, ...), values that are references
 *   (`arn:...:secretsmanager:`, `arn:...:ssm:`, `arn:...:kms:`), empty values,
 *   booleans and short numbers (up to 7 digits: sizes and limits).
 *
 * Why: a value in the YAML is committed to git, written into the Terraform state
 * and plan output, and shown in the Lambda console to anyone who can read the
 * function. Secrets belong in Secrets Manager, referenced by ARN. Messages never
 * repeat the value.
 */
import type { Rule } from './types';

export const RESERVED_PREFIXES = ['CACHESTACK_', 'AWS_'] as const;
export const LAMBDA_RESERVED_NAMES = ['_HANDLER', '_X_AMZN_TRACE_ID', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR'] as const;

const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PWD', 'PASS', 'SECRET', 'TOKEN', 'CREDENTIAL', 'CREDENTIALS', 'PASSPHRASE', 'APIKEY', 'PRIVATEKEY']);
/** Words that, followed by KEY, name a key that is a secret. */
const KEY_QUALIFIERS = new Set(['API', 'PRIVATE', 'ACCESS', 'SIGNING', 'ENCRYPTION', 'MASTER', 'HMAC', 'JWT', 'SECRET']);
/** A last word that describes a secret instead of holding it. */
const DESCRIPTIVE_SUFFIXES = new Set([
  'ARN', 'NAME', 'ID', 'PATH', 'PARAM', 'PARAMETER', 'REF', 'FILE', 'TTL', 'SECONDS', 'MS', 'MINUTES', 'HOURS', 'DAYS',
  'HEADER', 'LENGTH', 'SIZE', 'TYPE', 'URL', 'URI', 'ENDPOINT', 'ISSUER', 'AUDIENCE', 'EXPIRY', 'EXPIRES', 'EXPIRATION',
  'VERSION', 'ALGORITHM', 'ALG', 'ENABLED', 'DISABLED', 'MODE', 'REGION', 'COUNT', 'LIMIT', 'FIELD', 'PREFIX', 'LOCATION',
  'PROVIDER', 'ROTATION', 'POLICY', 'SCOPE', 'SCOPES', 'FORMAT', 'KIND', 'STRATEGY', 'TIMEOUT', 'COOKIE', 'CAPACITY',
  'RATE', 'MAX', 'MIN', 'DURATION', 'LIFETIME', 'AGE',
]);
const REFERENCE_VALUE = /^arn:aws[a-z-]*:(secretsmanager|ssm|kms):/;
const BOOLEAN_VALUE = /^(true|false|yes|no|on|off)$/i;
/** Short numbers are sizes and limits, not secrets (a numeric secret would be long). */
const SHORT_NUMBER = /^\d{1,7}(\.\d+)?$/;
const URL_WITH_PASSWORD = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/;

/** `dbPassword`, `DB_PASSWORD`, `db-password` → ['DB', 'PASSWORD']. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_-]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

/** True when the name says the variable holds a secret. Exported for tests and docs. */
export function looksLikeSecretName(name: string): boolean {
  const w = words(name);
  if (!w.length || DESCRIPTIVE_SUFFIXES.has(w[w.length - 1])) return false;
  return w.some((word, i) => SECRET_WORDS.has(word) || (word === 'KEY' && i > 0 && KEY_QUALIFIERS.has(w[i - 1])));
}

/**
 * What `secret-in-environment` reports for a variable: a url with a password,
 * a secret-looking name with a literal value, or nothing. Exported so that
 * `secret-in-config` leaves these values to this rule (one report per value).
 */
export function environmentSecret(name: string, value: unknown): 'url-password' | 'name' | undefined {
  if (typeof value !== 'string' || value === '' || BOOLEAN_VALUE.test(value) || SHORT_NUMBER.test(value) || REFERENCE_VALUE.test(value)) return undefined;
  if (URL_WITH_PASSWORD.test(value)) return 'url-password';
  return looksLikeSecretName(name) ? 'name' : undefined;
}

export function reservedReason(name: string): string | undefined {
  if (name.startsWith('CACHESTACK_')) return 'cachestack sets `CACHESTACK_` variables itself, from `connections` and the rest of the config';
  if (name.startsWith('AWS_')) return 'the `AWS_` prefix belongs to lambda and the aws sdk';
  if ((LAMBDA_RESERVED_NAMES as readonly string[]).includes(name)) return 'lambda reserves it';
  return undefined;
}

export const environmentVariablesRule: Rule = {
  id: 'environment-variables',
  meta: [
    {
      code: 'reserved-environment-variable',
      severity: 'error',
      description: 'a handler environment variable name starts with `CACHESTACK_` or `AWS_`, or is reserved by lambda (`_HANDLER`, `LAMBDA_TASK_ROOT`, ...).',
    },
    {
      code: 'secret-in-environment',
      severity: 'error',
      description: 'a handler environment variable looks like a secret (PASSWORD, SECRET, TOKEN, API_KEY, ..., or a url with a password) and has a literal value.',
    },
  ],
  check(ctx) {
    for (const h of ctx.model.handlers) {
      for (const [name, value] of Object.entries(h.environment)) {
        const path = ['handlers', h.name, 'environment', name];
        const reserved = reservedReason(name);
        if (reserved) {
          ctx.report({
            code: 'reserved-environment-variable',
            path,
            message: `handler \`${h.name}\`: environment variable \`${name}\` is reserved (${reserved}); names starting with \`CACHESTACK_\` or \`AWS_\` and lambda's reserved names cannot be set`,
            hint: name.startsWith('CACHESTACK_')
              ? 'configure the client through `connections` instead, or rename the variable'
              : name === 'AWS_REGION'
                ? 'lambda sets `AWS_REGION` to the function\'s region; read it instead of setting it'
                : 'rename the variable, e.g. without the reserved prefix',
          });
          continue;
        }
        const found = environmentSecret(name, value);
        if (!found) continue;
        const urlPassword = found === 'url-password';
        ctx.report({
          code: 'secret-in-environment',
          path,
          message: urlPassword
            ? `handler \`${h.name}\`: environment variable \`${name}\` holds a url with a password in it; values in the yaml end up in git, the terraform state and the lambda console`
            : `handler \`${h.name}\`: environment variable \`${name}\` looks like a secret and holds a literal value; values in the yaml end up in git, the terraform state and the lambda console`,
          hint: 'keep the secret in aws secrets manager and pass a reference: `connections.postgres.secret` for database credentials, or the secret\'s arn (e.g. `' +
            `${name.replace(/_?(URL|URI)$/i, '')}_SECRET_ARN: arn:aws:secretsmanager:...\`)`,
        });
      }
    }
  },
};
