/**
 * Every shipped config and example, every environment, through real Terraform
 * and the real AWS provider, on the output exactly as `synth` writes it:
 *
 * 1. `terraform init -backend=false` (the provider plugin dir found under /opt,
 *    or the registry) and `terraform validate -json`: no error, no warning;
 * 2. an override file beside cdk.tf.json points the provider at one moto_server
 *    (and the state at a local file), `terraform plan`: it succeeds, with no
 *    warning, and creates exactly the stack's resources;
 * 3. `terraform apply -target=...` of the resources moto implements (see
 *    APPLIED_TYPES), then the same targeted plan again: no changes.
 *
 * Stacks run two at a time against one moto. Without terraform, the provider or
 * moto_server, the suite skips and says what is missing; with CI=true it fails.
 * docs/synth.md describes what is checked and how to run it against the registry.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../src/config';
import { synth, synthesizeModels } from '../../src/synth';
import { CONFIG_DIRS, REPO_ROOT, configFiles, readYaml } from '../examples/support';
import {
  OVERRIDE_FILE,
  applyTargets,
  describe as describeDiagnostics,
  diagnostics,
  initArgs,
  overrideFor,
  plannedChanges,
  readStack,
  bucketNames,
  regionOf,
  resourceAddresses,
  secretArns,
  terraformRunner,
  type Json,
  type Terraform,
} from './stack';
import { findTools, limiter, Moto } from './tools';

process.env.CHECKPOINT_DISABLE = '1';

/** Stack names the shipped configs define, known before anything runs (test names). */
function expectedStacks(): string[] {
  return configFiles()
    .flatMap((file) => {
      const doc = readYaml(file);
      const envs = Object.keys((doc.environments ?? {}) as Json);
      return envs.length > 0 ? envs.map((e) => `${doc.service}-${e}`) : [String(doc.service)];
    })
    .sort();
}

const STACKS = expectedStacks();
/**
 * Jest starts every concurrent test at once and counts its timeout from then, but a
 * check waits in the two-at-a-time queue before its work starts: the timeout covers
 * the queue (every stack, the access, edge and S3 backend checks, two at a time) plus
 * its own 10 minutes, so a loaded machine makes the suite slow, not red. It bounds a
 * hung run, not speed.
 */
const TEST_TIMEOUT_MS = 600000 * (Math.ceil((STACKS.length + 3) / 2) + 1);
/** The region of the edge variant: not us-east-1, so CloudFront's alarm needs the provider alias. */
const EDGE_REGION = 'eu-west-1';
/** Buckets the edge variant names (besides the shipped stacks' own). */
const EDGE_BUCKETS: string[] = [];
const found = findTools();
const inCi = process.env.CI === 'true';

if ('missing' in found) {
  const reason = `the Terraform suite needs ${found.missing.join('; ')}`;
  if (inCi) {
    test('terraform, the AWS provider and moto_server are installed (CI=true)', () => {
      throw new Error(`${reason}; run scripts/test-deps.sh`);
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED test/terraform: ${reason}. Run scripts/test-deps.sh, or set CI=true to make this a failure.`);
    test.skip(`terraform validate/plan/apply of every shipped stack (skipped: ${reason})`, () => undefined);
  }
} else {
  const tools = found.tools;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-tf-'));
  const out = path.join(work, 'cdktf.out');
  const tf: Terraform = terraformRunner(tools, path.join(os.tmpdir(), 'cachestack-tf-plugin-cache'));
  const two = limiter(2);
  // Against the registry, inits share TF_PLUGIN_CACHE_DIR: one at a time, so the provider is downloaded once.
  const initOne = tools.pluginDir ? <T>(job: () => Promise<T>) => job() : limiter(1);

  let moto: Moto | undefined;
  let ready: Promise<{ vpcIds: Record<string, string>; subnetIds: Record<string, string[]> }> | undefined;

  /** Synthesize every shipped config once, start moto and seed it: shared by every test. */
  function setup(): Promise<{ vpcIds: Record<string, string>; subnetIds: Record<string, string[]> }> {
    ready ??= (async () => {
      const result = await synth([...CONFIG_DIRS], { out, cwd: REPO_ROOT });
      if (result.status !== 'ok') throw new Error(`synth of the shipped configs failed (${result.status}): ${JSON.stringify(result).slice(0, 3000)}`);
      const stacks = fs.readdirSync(path.join(out, 'stacks')).sort();
      expect(stacks).toEqual(STACKS);
      if (tools.pluginDir === undefined) fs.mkdirSync(path.join(os.tmpdir(), 'cachestack-tf-plugin-cache'), { recursive: true });
      moto = await Moto.start(tools.moto);
      const docs = stacks.map((s) => readStack(path.join(out, 'stacks', s)));
      const regions = [...new Set([...docs.map(regionOf), EDGE_REGION])].sort();
      return moto.seed(regions, [...new Set(docs.flatMap(secretArns))].sort(), [...new Set([...docs.flatMap(bucketNames), ...EDGE_BUCKETS])].sort());
    })();
    return ready;
  }

  afterAll(async () => {
    await moto?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const fail = (what: string, r: { stdout: string; stderr: string }): never => {
    throw new Error(`${what}\n${r.stderr}\n${r.stdout.slice(-4000)}${moto ? `\nmoto:\n${moto.output().slice(-2000)}` : ''}`);
  };

  async function check(stack: string): Promise<void> {
    return checkDir(stack, path.join(out, 'stacks', stack));
  }

  /** validate, plan against moto, apply what moto applies and converge: one stack directory. */
  async function checkDir(stack: string, dir: string): Promise<void> {
    const { vpcIds, subnetIds } = await setup();
    const doc = readStack(dir);
    const init = await initOne(() => tf(dir, initArgs(tools, false)));
    if (init.code !== 0) fail(`${stack}: terraform init -backend=false failed`, init);

    const validate = await tf(dir, ['validate', '-json', '-no-color']);
    const found = diagnostics(validate.stdout);
    expect({ stack, diagnostics: describeDiagnostics(found) }).toEqual({ stack, diagnostics: '' });
    expect(validate.code).toBe(0);

    fs.writeFileSync(path.join(dir, OVERRIDE_FILE), `${JSON.stringify(overrideFor(doc, moto!.endpoint, vpcIds[regionOf(doc)], subnetIds[regionOf(doc)]), null, 2)}\n`);
    const init2 = await initOne(() => tf(dir, initArgs(tools, true)));
    if (init2.code !== 0) fail(`${stack}: terraform init with the local-state override failed`, init2);

    const plan = await tf(dir, ['plan', '-input=false', '-no-color', '-json']);
    if (plan.code !== 0) fail(`${stack}: terraform plan failed:\n${describeDiagnostics(diagnostics(plan.stdout))}`, plan);
    expect({ stack, diagnostics: describeDiagnostics(diagnostics(plan.stdout)) }).toEqual({ stack, diagnostics: '' });
    const changes = plannedChanges(plan.stdout);
    expect(changes.map((c) => c.address)).toEqual(resourceAddresses(doc));
    expect(changes.filter((c) => c.actions !== 'create')).toEqual([]);

    const targets = applyTargets(doc);
    if (targets.length === 0) return;
    const targetArgs = targets.map((t) => `-target=${t}`);
    const apply = await tf(dir, ['apply', '-input=false', '-no-color', '-json', '-auto-approve', ...targetArgs]);
    if (apply.code !== 0) fail(`${stack}: terraform apply of ${targets.length} resources failed:\n${describeDiagnostics(diagnostics(apply.stdout))}`, apply);
    const again = await tf(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode', ...targetArgs]);
    if (again.code !== 0) fail(`${stack}: the plan after apply is not empty (exit ${again.code}): the output does not converge`, again);
    const state = await tf(dir, ['state', 'list', '-no-color']);
    if (state.code !== 0) fail(`${stack}: terraform state list failed`, state);
    const applied = state.stdout.split('\n').filter((a) => a !== '' && !a.startsWith('data.')).sort();
    expect(applied).toEqual(targets);
  }

  describe('terraform validate, plan against moto, apply and converge', () => {
    test.concurrent.each(STACKS)('%s', (stack) => two(() => check(stack)), TEST_TIMEOUT_MS);
  });

  // The shipped examples grant DynamoDB tables only: one stack gets every other kind of `access`
  // (S3 prefixes with the ListBucket condition, queue and topic names and ARNs, a secret looked up,
  // a statement), so the provider validates and plans each statement form.
  test.concurrent(
    'GIVEN a handler with every kind of access WHEN validated and planned THEN the role policy is accepted by the provider',
    () =>
      two(async () => {
        const { vpcIds } = await setup();
        const file = 'config/examples/goalsguild-user-service.yaml';
        const loaded = loadConfig([file], { cwd: REPO_ROOT });
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const secret = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:course-registration/redis-auth-AbCdEf';
        // Another service and stack name: the shipped goalsguild stack applies its roles into the same moto.
        const models = loaded.models.map((m) => ({
          ...m,
          service: 'access-kinds',
          stackName: 'access-kinds',
          handlers: m.handlers.map((h) => ({
            ...h,
            access: {
              dynamodb: [...h.access.dynamodb, { table: 'goalsguild-goals', actions: 'readwrite' as const, indexes: ['byUser', 'byStatus'] }],
              s3: [
                { bucket: 'goalsguild-avatars', prefix: 'users/', actions: 'readwrite' as const },
                { bucket: 'goalsguild-avatars', prefix: 'public/', actions: 'read' as const },
                { bucket: 'goalsguild-exports', actions: 'write' as const },
              ],
              sqs: [{ queue: 'goalsguild-jobs.fifo', actions: 'sendreceive' as const }],
              sns: [{ topic: 'arn:aws:sns:us-east-1:123456789012:goalsguild-events', actions: 'publish' as const }],
              secrets: [secret],
              statements: [{ actions: ['ses:SendEmail'], resources: ['arn:aws:ses:us-east-1:123456789012:identity/example.com'] }],
            },
          })),
        }));
        const accessOut = path.join(work, 'access');
        const result = await synthesizeModels(models, { load: async () => (await import('../../src/infra')).synthesizeStacks }, { out: accessOut, cwd: REPO_ROOT });
        expect(result.status).toBe('ok');
        const [stack] = fs.readdirSync(path.join(accessOut, 'stacks'));
        const dir = path.join(accessOut, 'stacks', stack);
        const doc = readStack(dir);
        const statements = Object.entries(doc.data.aws_iam_policy_document as Json).find(([k]) => k.startsWith('handler_user-service_role_permissions_'))![1].statement as Json[];
        expect(statements.map((s) => s.sid)).toEqual(['Logs', 'XRay', 'Secrets', 'DynamoDbRead', 'DynamoDbWrite', 'DynamoDbIndexes', 'S3ReadObjects', 'S3WriteObjects', 'S3ListBucket1', 'SqsSend', 'SqsReceive', 'SnsPublish', 'Statement1', 'InvalidateCache']);
        const init = await initOne(() => tf(dir, initArgs(tools, false)));
        if (init.code !== 0) fail(`${stack} (access): terraform init -backend=false failed`, init);
        const validate = await tf(dir, ['validate', '-json', '-no-color']);
        expect(describeDiagnostics(diagnostics(validate.stdout))).toBe('');
        fs.writeFileSync(path.join(dir, OVERRIDE_FILE), `${JSON.stringify(overrideFor(doc, moto!.endpoint, vpcIds[regionOf(doc)]), null, 2)}\n`);
        const init2 = await initOne(() => tf(dir, initArgs(tools, true)));
        if (init2.code !== 0) fail(`${stack} (access): terraform init with the local-state override failed`, init2);
        const plan = await tf(dir, ['plan', '-input=false', '-no-color', '-json']);
        if (plan.code !== 0) fail(`${stack} (access): terraform plan failed:\n${describeDiagnostics(diagnostics(plan.stdout))}`, plan);
        expect(describeDiagnostics(diagnostics(plan.stdout))).toBe('');
        expect(plannedChanges(plan.stdout).map((c) => c.address)).toEqual(resourceAddresses(doc));
        // the role policy is applied in moto like every shipped stack's, and plans no change afterwards
        const targets = applyTargets(doc).filter((t) => t.startsWith('aws_iam_role'));
        expect(targets.length).toBeGreaterThan(0);
        const targetArgs = targets.map((t) => `-target=${t}`);
        const apply = await tf(dir, ['apply', '-input=false', '-no-color', '-json', '-auto-approve', ...targetArgs]);
        if (apply.code !== 0) fail(`${stack} (access): terraform apply of the roles failed:\n${describeDiagnostics(diagnostics(apply.stdout))}`, apply);
        const again = await tf(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode', ...targetArgs]);
        if (again.code !== 0) fail(`${stack} (access): the plan after apply is not empty (exit ${again.code})`, again);
      }),
    TEST_TIMEOUT_MS,
  );

  // The edge features no seed asks for (cors with several origins, a custom domain, WAF on both
  // APIs) and a stack outside us-east-1 (CloudFront's alarm through the us-east-1 provider alias):
  // shipped examples with them added, synthesized and checked like the shipped stacks.
  test.concurrent(
    'GIVEN cors, a custom domain, waf on both apis and a cdn in eu-west-1 WHEN synthesized THEN validate, plan and apply against moto pass',
    () =>
      two(async () => {
        await setup();
        const loaded = loadConfig(['config/examples/ecommerce-analytics.yaml', 'config/examples/goalsguild-user-service.yaml'], { cwd: REPO_ROOT });
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        // Other names than the shipped stacks', whose IAM roles (global in moto) exist already.
        const models = loaded.models.map((shipped) => ({ ...shipped, service: `edge-${shipped.service}`, stackName: `edge-${shipped.stackName}` })).map((m) => {
          if (m.restApi && m.cdn) {
            return {
              ...m,
              region: EDGE_REGION,
              alarms: m.alarms && { ...m.alarms, notify: { email: ['oncall@example.com'] } },
              restApi: {
                ...m.restApi,
                cors: { allowOrigins: ['https://app.example.com', 'https://admin.example.com'], allowHeaders: ['Authorization', 'Content-Type'], exposeHeaders: ['X-Request-Id'], maxAgeSeconds: 600, allowCredentials: false },
                domain: { name: 'api.example.com', certificateArn: `arn:aws:acm:${EDGE_REGION}:123456789012:certificate/abc`, basePath: 'v1', endpointType: 'REGIONAL' as const },
                waf: { managedRules: ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] },
              },
              cdn: { ...m.cdn, api: { pathPattern: '/api/*', defaultTtlSeconds: 0, maxTtlSeconds: 60 } },
            };
          }
          return { ...m, graphqlApi: m.graphqlApi && { ...m.graphqlApi, waf: { webAclArn: `arn:aws:wafv2:${m.region}:123456789012:regional/webacl/shared/0123abcd-0000-0000-0000-000000000000` } } };
        });
        const edgeOut = path.join(work, 'edge');
        const result = await synthesizeModels(models, { load: async () => (await import('../../src/infra')).synthesizeStacks }, { out: edgeOut, cwd: REPO_ROOT });
        expect(result.status).toBe('ok');
        for (const stack of fs.readdirSync(path.join(edgeOut, 'stacks')).sort()) {
          const dir = path.join(edgeOut, 'stacks', stack);
          const doc = readStack(dir);
          const rest = stack.includes('ecommerce');
          const types = rest ? ['aws_api_gateway_gateway_response', 'aws_api_gateway_domain_name', 'aws_wafv2_web_acl', 'aws_wafv2_web_acl_association', 'aws_cloudfront_distribution'] : ['aws_wafv2_web_acl_association'];
          for (const type of types) expect({ stack, type, present: type in doc.resource }).toEqual({ stack, type, present: true });
          // The stack in eu-west-1 watches CloudFront through a second, aliased provider in us-east-1.
          if (rest) expect((doc.provider.aws as Json[]).map((p) => [p.alias ?? null, p.region])).toEqual([[null, EDGE_REGION], ['us-east-1', 'us-east-1']]);
          await checkDir(`${stack} (edge)`, dir);
        }
      }),
    TEST_TIMEOUT_MS,
  );

  // No shipped config uses an S3 backend: one is synthesized with it, to show the override's
  // local backend replaces it (without network, a plan that reached for S3 would fail).
  test.concurrent(
    'GIVEN a stack with backend s3 WHEN the override gives a local backend THEN init and plan never contact S3 and cdk.tf.json keeps its backend',
    () =>
      two(async () => {
        const { vpcIds, subnetIds } = await setup();
        const file = 'config/examples/goalsguild-user-service.yaml';
        const loaded = loadConfig([file], { cwd: REPO_ROOT });
        expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const models = loaded.models.map((m) => ({ ...m, backend: { kind: 's3' as const, bucket: 'cachestack-no-such-bucket', key: 'state', region: m.region, useLockfile: true, encrypt: true } }));
        const s3Out = path.join(work, 's3-backend');
        const result = await synthesizeModels(models, { load: async () => (await import('../../src/infra')).synthesizeStacks }, { out: s3Out, cwd: REPO_ROOT });
        expect(result.status).toBe('ok');
        const [stack] = fs.readdirSync(path.join(s3Out, 'stacks'));
        const dir = path.join(s3Out, 'stacks', stack);
        const doc = readStack(dir);
        expect(Object.keys(doc.terraform.backend)).toEqual(['s3']);
        const init = await initOne(() => tf(dir, initArgs(tools, false)));
        if (init.code !== 0) fail(`${stack} (s3): terraform init -backend=false failed`, init);
        const validate = await tf(dir, ['validate', '-json', '-no-color']);
        expect(describeDiagnostics(diagnostics(validate.stdout))).toBe('');
        fs.writeFileSync(path.join(dir, OVERRIDE_FILE), `${JSON.stringify(overrideFor(doc, moto!.endpoint, vpcIds[regionOf(doc)], subnetIds[regionOf(doc)]), null, 2)}\n`);
        const init2 = await initOne(() => tf(dir, initArgs(tools, true)));
        if (init2.code !== 0) fail(`${stack} (s3): terraform init with the local backend override failed`, init2);
        expect(fs.readFileSync(path.join(dir, '.terraform', 'terraform.tfstate'), 'utf8')).toContain('"type": "local"');
        const plan = await tf(dir, ['plan', '-input=false', '-no-color', '-json']);
        if (plan.code !== 0) fail(`${stack} (s3): terraform plan failed`, plan);
        expect(readStack(dir)).toEqual(doc);
      }),
    TEST_TIMEOUT_MS,
  );
}
