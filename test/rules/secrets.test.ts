/**
 * `secret-in-config`: credentials found by their format, in any field, without
 * printing them; and the near misses that must stay clean.
 *
 * The tokens below are built from pieces at run time, so that this file holds
 * none of them literally (secret scanners of the repository's host would flag
 * it otherwise). None of them is real.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/config';
import { findSecrets } from '../../src/config/rules/secrets';

const ROOT = path.join(__dirname, '../..');
const b64url = (s: string) => Buffer.from(s).toString('base64url');
const repeat = (chars: string, n: number) => chars.repeat(Math.ceil(n / chars.length)).slice(0, n);
const ALNUM = 'aZ0bY1cX2dW3eV4fU5gT6hS7iR8jQ9kP';

const JWT = `${b64url('{"alg":"RS256","typ":"JWT"}')}.${b64url('{"sub":"1234567890","name":"a"}')}.${repeat('Sig-_', 43)}`;
const PEM = ['-----BEGIN', 'RSA', 'PRIVATE', 'KEY-----'].join(' ');

/** [kind, value containing the secret, the secret part that must never be printed] */
const POSITIVES: [string, string, string][] = [
  ['an AWS access key id', `AKIA${repeat('Q7XZ2', 16).toUpperCase()}`, repeat('Q7XZ2', 16).toUpperCase()],
  ['an AWS access key id', `session ASIA${repeat('K3MN', 16)} in use`, repeat('K3MN', 16)],
  ['an AWS secret access key', `aws_secret_access_key = ${repeat('wJalrXUtnFEMI/K7MDENG+bPxRfiCY', 40)}`, repeat('wJalrXUtnFEMI/K7MDENG+bPxRfiCY', 40)],
  ['an AWS secret access key', `AWS_SECRET_ACCESS_KEY: "${repeat('Zx9/Yw8+Vu7T', 40)}"`, repeat('Zx9/Yw8+Vu7T', 40)],
  ['a GitHub token', `gh${'p'}_${repeat(ALNUM, 36)}`, repeat(ALNUM, 36)],
  ['a GitHub token', `token gh${'o'}_${repeat(ALNUM, 36)}`, repeat(ALNUM, 36)],
  ['a GitHub token', `gh${'s'}_${repeat(ALNUM, 36)}`, repeat(ALNUM, 36)],
  ['a GitHub token', `gh${'u'}_${repeat(ALNUM, 36)}`, repeat(ALNUM, 36)],
  ['a GitHub fine-grained personal access token', `github_${'pat'}_${repeat(ALNUM, 22)}_${repeat(ALNUM, 59)}`, repeat(ALNUM, 59)],
  ['a GitLab personal access token', `glpat-${repeat(ALNUM, 20)}`, repeat(ALNUM, 20)],
  ['an npm access token', `npm_${repeat(ALNUM, 36)}`, repeat(ALNUM, 36)],
  ['a Stripe live key', `sk_${'live'}_${repeat(ALNUM, 24)}`, repeat(ALNUM, 24)],
  ['a Stripe live key', `rk_${'live'}_${repeat(ALNUM, 24)}`, repeat(ALNUM, 24)],
  ['a Slack token', `xox${'b'}-123456789012-1234567890123-${repeat(ALNUM, 24)}`, repeat(ALNUM, 24)],
  ['a Slack token', `xox${'p'}-123456789012-123456789012-123456789012-${repeat('abcdef0123', 32)}`, repeat('abcdef0123', 32)],
  ['a Slack webhook url', `https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/${repeat(ALNUM, 24)}`, repeat(ALNUM, 24)],
  ['a SendGrid api key', `SG.${repeat(ALNUM, 22)}.${repeat(ALNUM, 43)}`, repeat(ALNUM, 43)],
  ['an OpenAI api key', `sk-${'proj'}-${repeat(ALNUM, 48)}`, repeat(ALNUM, 48)],
  ['a Google API key', `AIza${repeat(ALNUM, 35)}`, repeat(ALNUM, 35)],
  ['a PEM private key', `${PEM}\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n`, 'MIIEowIBAAKCAQEA'],
  ['a PEM private key', `${['-----BEGIN', 'OPENSSH', 'PRIVATE', 'KEY-----'].join(' ')}\nb3BlbnNzaC1rZXk\n`, 'b3BlbnNzaC1rZXk'],
  ['a JSON Web Token', JWT, JWT.split('.')[2]],
  ['a JSON Web Token', `Bearer ${JWT}`, JWT.split('.')[1]],
  ['a url with a password', 'postgres://app:hunter22@db.internal:5432/app', 'hunter22'],
  ['a url with a password', 'rediss://default:Sup3r-S3cret@cache.internal:6379', 'Sup3r-S3cret'],
  ['a url with a password', 'https://ops:t0ps3cret@grafana.internal/d/x', 't0ps3cret'],
  ['a url with a password', 'amqp://:onlypassword@mq.internal', 'onlypassword'],
];

/** [what, value] that must not be reported. */
const NEGATIVES: [string, string][] = [
  ['a secrets manager arn', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-password-AbCdEf'],
  ['an iam role arn', 'arn:aws:iam::123456789012:role/service-role/profile'],
  ['a kms key arn', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
  ['a cognito user pool arn', 'arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123'],
  ['a uuid', '0f8fad5b-d9cb-469f-a165-70867728950e'],
  ['a sha-1 (git commit)', '3f786850e387550fdab836ed7e6dc881de23001b'],
  ['a sha-256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['base64 of ordinary length', 'dGhpcyBpcyBub3QgYSBzZWNyZXQ='],
  ['a 40-character base64 string under a neutral name', repeat('wJalrXUtnFEMI/K7MDENG+bPxRfiCY', 40)],
  ['an example account id', '123456789012'],
  ['the documentation example access key', 'AKIAIOSFODNN7EXAMPLE'],
  ['the documentation example secret key', `aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`],
  ['an access key id inside a longer word', `XAKIA${repeat('Q7XZ2', 16).toUpperCase()}`],
  ['too short to be an access key id', 'AKIA1234'],
  ['a redis url without a password', 'redis://cache.internal:6379/0'],
  ['a url with a user and no password', 'https://user@docs.example.com/guide'],
  ['a url with an empty password', 'redis://default:@cache.internal:6379'],
  ['a url with a placeholder password', 'postgres://app:${DB_PASSWORD}@db.internal:5432/app'],
  ['a url with a template password', 'postgres://app:{{ password }}@db.internal/app'],
  ['a url with a masked password', 'postgres://app:****@db.internal/app'],
  ['a url with a port and a path with @', 'https://example.com:8443/users/@me'],
  ['a short ghp_ prefix', 'ghp_short'],
  ['a Stripe test key', `sk_${'test'}_${repeat(ALNUM, 24)}`],
  ['a Stripe publishable key', `pk_${'live'}_${repeat(ALNUM, 24)}`],
  ['a bare xoxb- prefix', 'xoxb-'],
  ['a slack url without a token', 'https://hooks.slack.com/services/'],
  ['a public key header', ['-----BEGIN', 'PUBLIC', 'KEY-----'].join(' ')],
  ['a certificate header', ['-----BEGIN', 'CERTIFICATE-----'].join(' ')],
  ['three dotted parts whose header is no json', `${repeat('abcdefgh', 16)}.${repeat('ijklmnop', 16)}.${repeat('qrstuvwx', 24)}`],
  ['a jwt-like value whose header has no alg', `${b64url('{"typ":"JWT","kid":"1"}')}.${b64url('{"sub":"1"}')}.${repeat('Sig-_', 43)}`],
  ['a semantic version', '1.2.3-rc.4'],
  ['a key pattern', 'user:profile:{userId}'],
  ['a cron schedule', 'cron(0/5 * * * ? *)'],
  ['an AIza prefix that is too short', 'AIzaShort'],
  ['a dynamodb table name', 'prod.user-profiles_v2'],
  ['a cache key', '$context.identity.sub'],
];

describe('findSecrets', () => {
  test.each(POSITIVES)('GIVEN %s in %j WHEN scanned THEN it is found and its secret part is not in the redacted form', (kind, value, secretPart) => {
    const found = findSecrets(value);
    expect(found.map((f) => f.kind)).toContain(kind);
    for (const f of found) expect(f.redacted).not.toContain(secretPart);
  });

  test.each(NEGATIVES)('GIVEN %s WHEN scanned THEN nothing is found', (_what, value) => {
    expect(findSecrets(value)).toEqual([]);
  });

  test('GIVEN a field whose name says it holds an AWS secret access key WHEN it holds 40 base64 characters THEN it is found', () => {
    const value = repeat('wJalrXUtnFEMI/K7MDENG+bPxRfiCY', 40);
    expect(findSecrets(value, 'awsSecretAccessKey').map((f) => f.kind)).toEqual(['an AWS secret access key']);
    expect(findSecrets(value, 'description')).toEqual([]);
  });
});

describe('secret-in-config through the loader', () => {
  let dir: string;
  const write = (text: string) => {
    fs.writeFileSync(path.join(dir, 'svc.yaml'), text);
    return loadConfig(['svc.yaml'], { cwd: dir });
  };
  const BASE = ['version: 1', 'service: svc', 'region: us-east-1', ''].join('\n');
  const GH = `gh${'p'}_${repeat(ALNUM, 36)}`;

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-secrets-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a token in a tag value WHEN loaded THEN the error names the field, the kind and a line and column, and never the token', () => {
    const result = write(`${BASE}tags:\n  owner: ${GH}\n`);
    const found = result.diagnostics.filter((d) => d.code === 'secret-in-config');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'error', path: 'tags.owner' });
    expect(found[0].message).toBe('`tags.owner` holds a GitHub token (ghp_… (40 characters)); values in the yaml end up in git, cdk.tf.json, the terraform state and the aws console');
    const text = fs.readFileSync(path.join(dir, 'svc.yaml'), 'utf8');
    expect(found[0].location.start).toBe(text.indexOf(GH));
    expect(JSON.stringify(result.diagnostics)).not.toContain(repeat(ALNUM, 36));
    expect(result.files[0].errors).toBe(1);
  });

  test('GIVEN a token as a tag key WHEN loaded THEN the map is reported and neither the message nor the path prints the key', () => {
    const result = write(`${BASE}tags:\n  ${GH}: x\n`);
    const found = result.diagnostics.filter((d) => d.code === 'secret-in-config');
    expect(found.map((d) => d.path)).toEqual(['tags']);
    expect(found[0].message).toContain('a key of `tags` holds a GitHub token');
    expect(JSON.stringify(result.diagnostics)).not.toContain(repeat(ALNUM, 36));
  });

  test('GIVEN a token in an overlay WHEN loaded with --env naming another environment THEN it is still reported', () => {
    const text = `${BASE}environments:\n  dev: {}\n  prod:\n    tags: { owner: ${GH} }\n`;
    fs.writeFileSync(path.join(dir, 'svc.yaml'), text);
    const result = loadConfig(['svc.yaml'], { cwd: dir, env: 'dev' });
    expect(result.diagnostics.filter((d) => d.code === 'secret-in-config').map((d) => d.path)).toEqual(['environments.prod.tags.owner']);
  });

  test('GIVEN a secret every environment shares WHEN loaded THEN it is reported once, without an environment', () => {
    const result = write(`${BASE}tags:\n  owner: ${GH}\nenvironments:\n  dev: {}\n  prod: {}\n`);
    const found = result.diagnostics.filter((d) => d.code === 'secret-in-config');
    expect(found).toHaveLength(1);
    expect(found[0].environment).toBeUndefined();
  });

  test('GIVEN handler environment values WHEN loaded THEN a url with a password is left to secret-in-environment and tokens under neutral or reserved names are secret-in-config', () => {
    fs.mkdirSync(path.join(dir, 'handlers'));
    fs.writeFileSync(path.join(dir, 'handlers', 'api.ts'), 'export const handler = async () => ({});\n');
    const result = write(`${BASE}handlers:\n  api:\n    entry: handlers/api.ts\n    environment:\n      DATABASE_URL: postgres://app:hunter22@db/app\n      NEUTRAL: ${GH}\n      AWS_SECRET_ACCESS_KEY: ${repeat('wJalrXUtnFEMI/K7MDENG+bPxRfiCY', 40)}\n`);
    expect(result.diagnostics.map((d) => `${d.code}@${d.path}`).sort()).toEqual([
      'reserved-environment-variable@handlers.api.environment.AWS_SECRET_ACCESS_KEY',
      'secret-in-config@handlers.api.environment.AWS_SECRET_ACCESS_KEY',
      'secret-in-config@handlers.api.environment.NEUTRAL',
      'secret-in-environment@handlers.api.environment.DATABASE_URL',
    ]);
  });

  test('GIVEN the shipped configs WHEN loaded THEN none reports secret-in-config', () => {
    const dirs = ['config', 'config/examples'];
    const files = dirs.flatMap((d) => fs.readdirSync(path.join(ROOT, d)).filter((f) => /\.ya?ml$/.test(f)).map((f) => `${d}/${f}`));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const result = loadConfig([f], { cwd: ROOT });
      expect(result.diagnostics.filter((d) => d.code === 'secret-in-config')).toEqual([]);
    }
  });
});
