/**
 * `cachestack init [DIR]`: the files of a project of one's own that uses
 * cachestack as an installed package (spec: "Second edition" of the config
 * language). Everything it writes works from `node_modules/cachestack`:
 * - config/<service>.yaml, whose schema modeline points at the installed schema;
 * - handlers/<handler>.ts, importing the runtime kit as `cachestack/runtime`;
 * - cdktf.json, whose app runs the installed, compiled cachestack (no tsx or ts-node);
 * - .gitignore (synth output, Terraform's working files and local state);
 * - .github/workflows/cachestack.yml, the pull-request workflow of
 *   docs/examples/github-workflow.yml, byte for byte.
 *
 * It never overwrites: when any of these files exists, nothing is written and
 * the existing files are named. Files are created with the exclusive flag, so a
 * file that appears meanwhile is not overwritten either.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError, formatHelp, parseCommandArgs, UsageError, type Command } from '../command';
import { NAME_PATTERN } from '../../config/constants';
import type { Io } from '../io';

const usage = 'cachestack init [DIR] [--service NAME]';

/** The path of the installed package as the project's files name it. */
const PACKAGE_DIR = 'node_modules/cachestack';
/** cdktf.json's `app`: the compiled main.ts of the installed package. */
export const CDKTF_APP = `node ${PACKAGE_DIR}/dist/main.js`;
const WORKFLOW_SOURCE = ['docs', 'examples', 'github-workflow.yml'];
const HANDLER = 'hello';

export interface InitFile {
  /** Relative to the project directory, `/` separators. */
  path: string;
  text: string;
}

/** A service name from a directory name: lower case, other characters → `-`; undefined when nothing usable is left. */
export function serviceNameFrom(dirName: string): string | undefined {
  const name = dirName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return new RegExp(NAME_PATTERN).test(name) ? name : undefined;
}

function configText(service: string): string {
  return `# yaml-language-server: $schema=../${PACKAGE_DIR}/schema/cachestack.schema.json
#
# The performance layer of ${service}: a REST API whose GET /hello is answered
# from API Gateway's stage cache for five minutes, and one Lambda handler that
# the warmer keeps warm. \`npx cachestack validate\` checks this file, \`npx
# cachestack synth\` (or \`npx cdktf synth\`) turns it into Terraform, one stack
# per environment: ${service}-dev and ${service}-prod.
# Every field is documented in node_modules/cachestack/docs/config.md.

version: 1
service: ${service}
region: us-east-1

handlers:
  ${HANDLER}:
    entry: ../handlers/${HANDLER}.ts
    warm: true                        # the warmer pings it

restApi:
  name: ${service}
  cache: { sizeGb: 0.5 }              # the stage cache cluster; endpoints opt in
  endpoints:
    - path: /hello
      method: GET
      handler: ${HANDLER}
      auth: none                      # public: one cached answer for everyone
      cache: { ttlSeconds: 300, shared: true }

warmer: { schedule: rate(5 minutes) }

environments:
  dev: {}
  prod: {}
`;
}

function handlerText(): string {
  return `/**
 * GET /hello. \`withWarmGuard\` answers the warmer's pings without running the
 * handler; see node_modules/cachestack/docs/handlers.md for the runtime kit
 * (AWS SDK client settings, secrets, Postgres pools, and the Redis cache in
 * \`cachestack/runtime/redis-cache\`).
 */
import { withWarmGuard } from 'cachestack/runtime';

export const handler = withWarmGuard(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ hello: 'world' }),
}));
`;
}

function cdktfJson(): string {
  return `${JSON.stringify({ language: 'typescript', app: CDKTF_APP, output: 'cdktf.out', sendCrashReports: 'false' }, null, 2)}\n`;
}

const GITIGNORE = `node_modules/
# written by \`cachestack synth\` and \`cdktf synth\`
cdktf.out/
# Terraform's working files; keep state in the backend, not in git
.terraform/
*.tfstate
*.tfstate.*
`;

/** The files `init` writes for `service`, in the order it writes them. */
export function initFiles(service: string, workflow: string): InitFile[] {
  return [
    { path: `config/${service}.yaml`, text: configText(service) },
    { path: `handlers/${HANDLER}.ts`, text: handlerText() },
    { path: 'cdktf.json', text: cdktfJson() },
    { path: '.gitignore', text: GITIGNORE },
    { path: '.github/workflows/cachestack.yml', text: workflow },
  ];
}

function readWorkflow(): string {
  // src/cli/commands (sources) or dist/src/cli/commands (built): the package root holds docs/.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, ...WORKFLOW_SOURCE);
    if (fs.existsSync(file) && fs.existsSync(path.join(dir, 'package.json'))) return fs.readFileSync(file, 'utf8');
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${WORKFLOW_SOURCE.join('/')} in the cachestack package above ${__dirname}`);
  }
}

function errorText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e && typeof e.code === 'string' ? `${e.code}: ${e.message}` : String(error);
}

function runInit(dirArg: string | undefined, serviceArg: string | undefined, io: Io): number {
  const dir = path.resolve(io.cwd, dirArg ?? '.');
  const shown = dirArg ?? '.';
  let service = serviceArg;
  if (service !== undefined && !new RegExp(NAME_PATTERN).test(service)) {
    throw new UsageError(`invalid service name \`${service}\`; allowed: 2 to 40 characters, lower-case letters, digits and \`-\`, starting with a letter (pattern ${NAME_PATTERN})`);
  }
  service ??= serviceNameFrom(path.basename(dir));
  if (service === undefined) {
    throw new UsageError(`cannot make a service name from the directory name \`${path.basename(dir)}\`; give one with \`--service NAME\` (lower-case letters, digits and \`-\`)`);
  }
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new CliError(`init: \`${shown}\` exists and is not a directory; give a directory, new or existing`);

  const files = initFiles(service, readWorkflow());
  const existing = files.filter((f) => fs.existsSync(path.join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0) {
    throw new CliError(
      `init: ${existing.map((p) => `\`${path.join(shown, p).split(path.sep).join('/')}\``).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written. cachestack never overwrites a file: move ${existing.length === 1 ? 'it' : 'them'} away, or run init in another directory`,
    );
  }

  const written: string[] = [];
  for (const file of files) {
    const target = path.join(dir, file.path);
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, file.text, { flag: 'wx' });
    } catch (error) {
      const done = written.length > 0 ? ` (already written: ${written.join(', ')})` : '';
      throw new CliError(`init: cannot write \`${file.path}\` in \`${shown}\`: ${errorText(error)}${done}; nothing else was written`);
    }
    written.push(file.path);
  }

  const cd = dirArg === undefined || path.resolve(io.cwd, dirArg) === io.cwd ? '' : `cd ${shown} && `;
  io.stdout(
    [
      `cachestack init: wrote a project for service \`${service}\` in ${shown}`,
      ...written.map((p) => `  ${p}`),
      '',
      'Next:',
      `  ${cd}npm install --save-dev cachestack cdktf-cli   (skip if they are installed)`,
      '  npx cachestack validate                          check config/',
      '  npx cachestack synth                             write Terraform to cdktf.out/',
      `  npx cdktf deploy ${service}-dev                  deploy one stack (needs the Terraform CLI and AWS credentials)`,
      '',
    ].join('\n'),
  );
  return 0;
}

export const initCommand: Command = {
  name: 'init',
  summary: 'Start a project of your own: config, handler, cdktf.json, .gitignore and PR workflow.',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Writes the files of a project that uses cachestack as an installed package (`npm install --save-dev cachestack cdktf-cli`): config/<service>.yaml (a cached REST endpoint, one handler, a warmer, dev and prod environments) whose `yaml-language-server` modeline points at node_modules/cachestack/schema/cachestack.schema.json, handlers/hello.ts importing the runtime kit as `cachestack/runtime`, cdktf.json whose app runs the installed cachestack (`node node_modules/cachestack/dist/main.js`), a .gitignore, and .github/workflows/cachestack.yml, the pull-request workflow of docs/pull-requests.md.',
      'It never overwrites a file: when any of them exists, nothing is written and the command names the files in the way.',
    ],
    arguments: [['DIR', 'The project directory; created when missing. Default: the current directory.']],
    options: [['--service NAME', 'The service name, which prefixes every resource and stack name. Default: the directory name, in lower case with other characters turned into `-`.']],
    exitCodes: [
      [0, 'The files were written.'],
      [2, 'Usage error, a file that already exists (nothing written), or a file that cannot be written.'],
    ],
    examples: [
      ['cachestack init', 'Set up the current directory (the service is named after it).'],
      ['cachestack init services/orders --service orders', 'Set up services/orders for the service `orders`.'],
    ],
  }),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('init', args, { service: { type: 'string' } }, true);
    if (positionals.length > 1) throw new UsageError(`expected at most one directory, got ${positionals.length}: ${positionals.map((p) => `\`${p}\``).join(', ')}`);
    return runInit(positionals[0], values.service as string | undefined, io);
  },
};
