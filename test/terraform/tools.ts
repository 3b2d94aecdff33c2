/**
 * The real tools the Terraform suite drives: the `terraform` binary, the AWS
 * provider (a plugin directory under /opt when there is one, else the
 * registry), and a `moto_server` on a free loopback port with what the stacks
 * look up (VPCs, secrets) created in it through boto3.
 *
 * `findTools()` says what is missing instead of throwing, so the suite can skip
 * with the reason on a developer machine and fail loudly in CI (`CI=true`).
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../handlers/redis-server';

export interface Tools {
  terraform: string;
  /** `-plugin-dir` for `terraform init`; `undefined`: the registry (with a shared TF_PLUGIN_CACHE_DIR). */
  pluginDir?: string;
  /** The command that starts moto: `moto_server`, or `python3 -m moto.server`. */
  moto: string[];
}

/** Where to look for a preinstalled provider, unless CACHESTACK_TF_PLUGIN_DIR names one. */
const PLUGIN_SEARCH_ROOTS = ['/opt'];

/**
 * The plugin directory holding a `terraform-provider-aws_*` binary under `root`:
 * the directory above `registry.terraform.io/hashicorp/aws/<version>/<os_arch>/`
 * (Terraform's unpacked mirror layout). Searched breadth-first, a few levels deep.
 */
export function findPluginDir(root: string, maxDepth = 8): string | undefined {
  let level = [root];
  for (let depth = 0; depth <= maxDepth && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level.sort()) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isFile() && e.name.startsWith('terraform-provider-aws_')) {
          const parts = full.split(path.sep);
          const at = parts.lastIndexOf('registry.terraform.io');
          if (at > 0 && parts[at + 1] === 'hashicorp' && parts[at + 2] === 'aws') return parts.slice(0, at).join(path.sep) || path.sep;
        } else if (e.isDirectory()) next.push(full);
      }
    }
    level = next;
  }
  return undefined;
}

function onPath(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 20000 });
  return !r.error && r.status === 0;
}

/** What is there, or why the suite cannot run. */
export function findTools(env: NodeJS.ProcessEnv = process.env): { tools: Tools } | { missing: string[] } {
  const missing: string[] = [];
  const terraform = env.TERRAFORM ?? 'terraform';
  if (!onPath(terraform, ['version'])) missing.push(`terraform (not on PATH; install Terraform 1.10 or newer)`);

  let pluginDir: string | undefined;
  if (env.CACHESTACK_TF_REGISTRY === '1') pluginDir = undefined;
  else if (env.CACHESTACK_TF_PLUGIN_DIR) pluginDir = env.CACHESTACK_TF_PLUGIN_DIR;
  else for (const root of PLUGIN_SEARCH_ROOTS) pluginDir ??= findPluginDir(root);
  if (pluginDir === undefined && env.CACHESTACK_TF_REGISTRY !== '1') {
    missing.push('the AWS provider (no terraform-provider-aws_* under /opt; set CACHESTACK_TF_PLUGIN_DIR=DIR, or CACHESTACK_TF_REGISTRY=1 to download it from the registry)');
  }

  let moto: string[] | undefined;
  if (onPath('moto_server', ['--help'])) moto = ['moto_server'];
  else if (onPath('python3', ['-c', 'import moto.server, boto3'])) moto = ['python3', '-m', 'moto.server'];
  else missing.push('moto_server (pip install "moto[server]" boto3)');
  if (!onPath('python3', ['-c', 'import boto3'])) missing.push('boto3 for python3 (pip install boto3)');

  return missing.length > 0 ? { missing } : { tools: { terraform, pluginDir, moto: moto! } };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run a command to completion (never throws on a non-zero exit). */
export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      args,
      { cwd: options.cwd, env: options.env, maxBuffer: 256 * 1024 * 1024, timeout: options.timeoutMs ?? 240000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((error as unknown as { code: number }).code) : 1) : 0;
        resolve({ code: error && code === 0 ? 1 : code, stdout: String(stdout), stderr: String(stderr) + (error && (error as { killed?: boolean }).killed ? '\n(killed: timeout)' : '') });
      },
    );
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

/** At most `n` of the returned function's calls run at once. */
export function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await job();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** A moto_server on 127.0.0.1, one for the whole suite. */
export class Moto {
  private constructor(
    readonly port: number,
    private readonly proc: ChildProcess,
    private readonly log: () => string,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(command: string[]): Promise<Moto> {
    const port = await freePort();
    // AWS managed policies (AmazonAPIGatewayPushToCloudWatchLogs, which `restApi.accountLogsRole` attaches) exist only when moto loads them.
    const env = { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' };
    const proc = spawn(command[0], [...command.slice(1), '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let output = '';
    proc.stdout!.on('data', (d) => (output = (output + d).slice(-20000)));
    proc.stderr!.on('data', (d) => (output = (output + d).slice(-20000)));
    const moto = new Moto(port, proc, () => output);
    const deadline = Date.now() + 30000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`moto_server exited (${proc.exitCode}) before answering:\n${output}`);
      try {
        const res = await fetch(`${moto.endpoint}/moto-api/data.json`);
        if (res.ok) return moto;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`moto_server did not answer on port ${port} within 30 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The last lines moto printed, for failure messages. */
  output(): string {
    return this.log();
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.proc.once('exit', () => resolve());
      this.proc.kill('SIGTERM');
    });
  }

  /**
   * Create what the stacks look up: one VPC per region (its id is what the
   * override gives `data.aws_vpc`) with three subnets, each explicitly associated
   * with a route table of its own (what the override gives `data.aws_route_table`),
   * and every secret the stacks name, under the
   * name that makes moto resolve the ARN the YAML gives (moto matches a
   * partial ARN by the text after `secret:`).
   */
  async seed(regions: string[], secretArns: string[], buckets: string[] = []): Promise<{ vpcIds: Record<string, string>; subnetIds: Record<string, string[]> }> {
    const script = `
import boto3, json, sys
req = json.load(sys.stdin)
kw = dict(endpoint_url=req["endpoint"], aws_access_key_id="test", aws_secret_access_key="test")
out = {"vpcIds": {}, "subnetIds": {}}
for region in req["regions"]:
    ec2 = boto3.client("ec2", region_name=region, **kw)
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    out["subnetIds"][region] = []
    for i, az in enumerate(["a", "b", "c"]):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.20.{i}.0/24", AvailabilityZone=region + az)["Subnet"]["SubnetId"]
        # a private subnet's own route table, explicitly associated (what data.aws_route_table finds)
        table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.associate_route_table(RouteTableId=table, SubnetId=subnet)
        out["subnetIds"][region].append(subnet)
    out["vpcIds"][region] = vpc
for arn in req["secrets"]:
    region = arn.split(":")[3]
    name = arn.split(":secret:", 1)[1]
    sm = boto3.client("secretsmanager", region_name=region, **kw)
    sm.create_secret(Name=name, SecretString="testonly0123456789abcdefghijklmn")
s3 = boto3.client("s3", region_name="us-east-1", **kw)
for bucket in req["buckets"]:
    s3.create_bucket(Bucket=bucket)
print(json.dumps(out))
`;
    const r = await run('python3', ['-c', script], { input: JSON.stringify({ endpoint: this.endpoint, regions, secrets: secretArns, buckets }), timeoutMs: 60000 });
    if (r.code !== 0) throw new Error(`seeding moto failed:\n${r.stderr}`);
    return JSON.parse(r.stdout) as { vpcIds: Record<string, string>; subnetIds: Record<string, string[]> };
  }
}
