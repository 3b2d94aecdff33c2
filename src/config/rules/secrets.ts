/**
 * Secrets by value: well-known credential formats in any text of the config.
 *
 * What: `secret-in-config` (error) for every string of the document as written
 * (the base and every environment overlay; values and map keys alike: tags,
 * descriptions, the backend bucket and key, namespaces, key patterns, names,
 * handler environment values) that holds one of these:
 * - an AWS access key id (`AKIA`, `ASIA`, `ABIA`, `ACCA` and 16 more capitals or
 *   digits), or an AWS secret access key assigned in the text
 *   (`aws_secret_access_key = ...`, 40 characters) or held by a field whose name
 *   says so;
 * - a GitHub token (`ghp_`, `gho_`, `ghs_`, `ghu_`, `ghr_` and 36 more; a
 *   fine-grained `github_pat_...`), a GitLab token (`glpat-`), an npm token
 *   (`npm_`);
 * - a Stripe live key (`sk_live_`, `rk_live_`), a Slack token (`xoxa-`, `xoxb-`,
 *   `xoxp-`, `xoxr-`, `xoxs-`) or a Slack webhook url
 *   (`hooks.slack.com/services/T.../B.../...`), a SendGrid key (`SG.x.y`), an
 *   OpenAI key (`sk-...T3BlbkFJ...`, `sk-proj-...`), a Google API key (`AIza` and 35 more);
 * - a PEM private key (`-----BEGIN ... PRIVATE KEY-----`);
 * - a JSON Web Token (three base64url parts whose first decodes to a JSON object
 *   with an `alg`);
 * - a url with a password in it (`scheme://user:password@host`), unless the
 *   password is a placeholder (`${VAR}`, `{{var}}`, `<password>`, `***`).
 *
 * Not reported, to keep false positives low: ARNs (secret ARNs are the way to
 * reference a secret), UUIDs, hex digests and git shas, base64 of ordinary
 * length, account ids, urls without a password (`redis://host:6379`), the
 * documentation's example keys (ending in `EXAMPLE`), Stripe test keys, public
 * keys and certificates. A handler environment variable that
 * `secret-in-environment` already reports (a secret-looking name, or a url with
 * a password) is left to that rule.
 *
 * Why: the YAML is committed to git, and its values reach cdk.tf.json, the
 * Terraform state and plan output, resource tags and the AWS console. A
 * credential there is leaked to everyone who can read any of them. Messages name
 * the field and the kind of token, and show only a redacted form of it.
 */
import { formatPath } from '../diagnostics';
import { environmentSecret, reservedReason } from './environment-variables';
import type { FieldPath, Rule } from './types';
import { getIn, isRecord } from './util';

export interface SecretFinding {
  /** What was found, e.g. `a GitHub personal access token`. */
  kind: string;
  /** The token with everything but its well-known prefix hidden. */
  redacted: string;
}

/** `prefix…` and the length: enough to find the token, nothing of its secret part. */
function hide(token: string, visible: number): string {
  return `${token.slice(0, visible)}… (${token.length} characters)`;
}

interface Detector {
  kind: string;
  /**
   * A regex fragment every match of `pattern` contains (its literal part): a string
   * none of the screens match is not scanned further (most values of a config).
   */
  screen: string;
  /** Global regex; each match is a candidate. */
  pattern: RegExp;
  /** Visible prefix length of the match in the redacted form. */
  visible: number;
  /** Further check of a candidate (false: not a secret). */
  accept?: (match: RegExpExecArray) => boolean;
  /** Redacted form, when the default (`prefix…`) does not fit. */
  redact?: (match: RegExpExecArray) => string;
}

/** The documentation's example credentials end in EXAMPLE (`AKIAIOSFODNN7EXAMPLE`). */
const notExample = (m: RegExpExecArray) => !/EXAMPLE/i.test(m[0]);

const PLACEHOLDER_PASSWORD = /^(\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{\{[^}]*\}\}|<[^>]*>|\*+|x+|%s|\.\.\.)$/i;

function jwtHeaderHasAlg(part: string): boolean {
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const header: unknown = JSON.parse(json);
    return isRecord(header) && typeof header.alg === 'string';
  } catch {
    return false;
  }
}

function jwtAlg(part: string): string {
  try {
    const header = JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as { alg: string };
    return /^[A-Za-z0-9]{1,16}$/.test(header.alg) ? header.alg : 'unknown';
  } catch {
    return 'unknown';
  }
}

const DETECTORS: readonly Detector[] = [
  { kind: 'a PEM private key', screen: '-----BEGIN', pattern: /-----BEGIN ((?:RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----/g, visible: 0, redact: (m) => `${m[0]}…` },
  { kind: 'an AWS access key id', screen: 'A(?:KI|SI|BI|CC)A', pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, visible: 4, accept: notExample },
  {
    kind: 'an AWS secret access key', screen: 'aws_?secret_?access_?key',
    pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
    visible: 0,
    accept: notExample,
    redact: (m) => `${m[0].slice(0, m[0].length - m[1].length)}… (40 characters)`,
  },
  { kind: 'a GitHub token', screen: 'gh[pousr]_', pattern: /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g, visible: 4 },
  { kind: 'a GitHub fine-grained personal access token', screen: 'github_pat_', pattern: /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}(?![A-Za-z0-9_])/g, visible: 11 },
  { kind: 'a GitLab personal access token', screen: 'glpat-', pattern: /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g, visible: 6 },
  { kind: 'an npm access token', screen: 'npm_', pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])/g, visible: 4 },
  { kind: 'a Stripe live key', screen: '_live_', pattern: /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{20,}(?![A-Za-z0-9_])/g, visible: 8 },
  { kind: 'a Slack token', screen: 'xox[abprs]-', pattern: /(?<![A-Za-z0-9-])xox[abprs]-[0-9]{6,}-[A-Za-z0-9-]{8,}(?![A-Za-z0-9-])/g, visible: 5 },
  {
    kind: 'a Slack webhook url', screen: 'hooks\\.slack\\.com/',
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,}\/[AB][A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/g,
    visible: 0,
    redact: (m) => `${m[0].slice(0, m[0].lastIndexOf('/') + 1)}… (${m[0].length - m[0].lastIndexOf('/') - 1} characters)`,
  },
  { kind: 'a SendGrid api key', screen: 'SG\\.', pattern: /(?<![A-Za-z0-9_.-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, visible: 3 },
  { kind: 'an OpenAI api key', screen: 'sk-', pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-[A-Za-z0-9_-]{40,}|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?![A-Za-z0-9_-])/g, visible: 3 },
  { kind: 'a Google API key', screen: 'AIza', pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, visible: 4 },
  {
    kind: 'a JSON Web Token', screen: 'eyJ',
    pattern: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{8,})\.([A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
    visible: 3,
    accept: (m) => jwtHeaderHasAlg(m[1]),
    redact: (m) => `eyJ… (${m[0].length} characters, alg ${jwtAlg(m[1])})`,
  },
  {
    kind: 'a url with a password', screen: '://',
    // bounded parts: every candidate start costs a few hundred steps at most, whatever the text
    pattern: /\b([A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/)([^\s/:@]{0,256}):([^\s/@]{1,256})@([^\s/?#]{0,256})/g,
    visible: 0,
    accept: (m) => !PLACEHOLDER_PASSWORD.test(m[3]),
    redact: (m) => `${m[1]}${m[2]}:****@${m[4]}`,
  },
];

/** One test for all detectors' screens: case-insensitive, so it only ever lets more through. */
const SCREEN = new RegExp(DETECTORS.map((d) => d.screen).join('|'), 'i');

/** A field whose own name says it holds an AWS secret access key, with a value of that form. */
const SECRET_KEY_NAME = /aws_?secret_?access_?key|secret_?access_?key/i;
const SECRET_KEY_VALUE = /^[A-Za-z0-9/+]{40}$/;

/**
 * The secrets in one string, in the order the detectors are listed, at most one
 * per kind. `fieldName` is the last segment of the field's path, for the checks
 * that depend on it. Exported for tests.
 */
export function findSecrets(text: string, fieldName?: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  if (text.length < 8) return found;
  for (const d of SCREEN.test(text) ? DETECTORS : []) {
    d.pattern.lastIndex = 0;
    for (let m = d.pattern.exec(text); m; m = d.pattern.exec(text)) {
      if (d.accept && !d.accept(m)) continue;
      found.push({ kind: d.kind, redacted: d.redact ? d.redact(m) : hide(m[0], d.visible) });
      break;
    }
  }
  if (fieldName !== undefined && SECRET_KEY_NAME.test(fieldName) && SECRET_KEY_VALUE.test(text) && !/EXAMPLE/i.test(text) && !found.some((f) => f.kind === 'an AWS secret access key')) {
    found.push({ kind: 'an AWS secret access key', redacted: '… (40 characters)' });
  }
  return found;
}

/** `handlers.<h>.environment.<NAME>`, in the base or an overlay: the variable's name. */
function environmentName(path: FieldPath): string | undefined {
  const at = path[0] === 'environments' ? 2 : 0;
  return path.length === at + 4 && path[at] === 'handlers' && path[at + 2] === 'environment' ? String(path[at + 3]) : undefined;
}

function describe(findings: SecretFinding[]): string {
  return findings.map((f) => `${f.kind} (${f.redacted})`).join(', ');
}

const HINT =
  'remove it from the file and revoke it (it is in git history); keep secrets in aws secrets manager and reference them by arn: `connections.postgres.secret`, `redis.<name>.authTokenSecret`, or an environment variable such as `API_TOKEN_SECRET_ARN: arn:aws:secretsmanager:...` that the handler reads';

export const secretsRule: Rule = {
  id: 'secrets',
  meta: [
    {
      code: 'secret-in-config',
      severity: 'error',
      description: 'a value (or a map key) anywhere in the config holds a well-known credential: an aws access key, a github, stripe, slack, google or other api token, a pem private key, a jwt, or a url with a password.',
    },
  ],
  check(ctx) {
    // The whole document is scanned in every environment's run (identical reports
    // merge into one), overlays included, so `--env` does not hide a secret in
    // another environment. A base field this run's overlay also writes would be
    // located at the overlay's node: it is left to the runs that point at the base.
    const overlay = ctx.environment !== undefined && isRecord(ctx.raw) && isRecord((ctx.raw as Record<string, unknown>).environments)
      ? ((ctx.raw as Record<string, unknown>).environments as Record<string, unknown>)[ctx.environment]
      : undefined;
    const shadowed = (path: FieldPath) => overlay !== undefined && path.length > 0 && path[0] !== 'environments' && getIn(overlay, path) !== undefined;
    const visit = (value: unknown, path: (string | number)[]) => {
      if (typeof value === 'string') {
        if (shadowed(path)) return;
        const envName = environmentName(path);
        // one report per value: `secret-in-environment` already speaks for this one
        if (envName !== undefined && !reservedReason(envName) && environmentSecret(envName, value)) return;
        const last = path[path.length - 1];
        const findings = findSecrets(value, typeof last === 'string' ? last : undefined);
        if (findings.length) {
          ctx.report({
            code: 'secret-in-config',
            path,
            message: `\`${formatPath(path)}\` holds ${describe(findings)}; values in the yaml end up in git, cdk.tf.json, the terraform state and the aws console`,
            hint: HINT,
          });
        }
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, [...path, i]));
        return;
      }
      if (!isRecord(value)) return;
      const secretKeys: SecretFinding[] = [];
      for (const [key, item] of Object.entries(value)) {
        const inKey = findSecrets(key);
        if (inKey.length) {
          // the path would print the key, so the report points at the map and the key is only described
          secretKeys.push(...inKey);
          continue;
        }
        visit(item, [...path, key]);
      }
      if (secretKeys.length && !shadowed(path)) {
        ctx.report({
          code: 'secret-in-config',
          path,
          message: `${path.length ? `a key of \`${formatPath(path)}\`` : 'a top-level key'} holds ${describe(secretKeys)}; keys in the yaml end up in git, cdk.tf.json, the terraform state and the aws console like values do`,
          hint: HINT,
        });
      }
    };
    visit(ctx.raw, []);
  },
};
