/**
 * `cachestack flush`: empty the REST API stage cache (API Gateway FlushStageCache)
 * and the AppSync API cache (FlushApiCache) of one environment, through the AWS
 * SDK v3. The API ids come from `--rest-api-id` / `--graphql-api-id`, else from the
 * stack's local Terraform state (`<out>/stacks/<stack>/terraform.tfstate`: the
 * `rest-api-id`, `rest-api-stage` and `graphql-api-id` outputs). With an S3
 * backend the state is not on this machine: pass the ids (`terraform output`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG_DIR, loadConfig, resolveInputs } from '../../config';
import type { ServiceModel } from '../../config/model';
import { CliError, formatHelp, parseCommandArgs, type Command, type OptionSpec } from '../command';
import { renderText } from '../format/text';
import { useColor } from '../io';

const usage = 'cachestack flush [FILE|DIR ...] --env NAME [--rest] [--graphql] [--rest-api-id ID] [--graphql-api-id ID] [--out DIR]';

const OPTIONS: Record<string, OptionSpec> = {
  env: { type: 'string' },
  rest: { type: 'boolean' },
  graphql: { type: 'boolean' },
  'rest-api-id': { type: 'string' },
  'graphql-api-id': { type: 'string' },
  out: { type: 'string' },
};

/** Output names the stacks write (src/infra/naming.ts `outputIds`). */
const OUTPUTS = { restApiId: 'rest-api-id', restApiStage: 'rest-api-stage', graphqlApiId: 'graphql-api-id' } as const;

interface StackIds {
  restApiId?: string;
  restApiStage?: string;
  graphqlApiId?: string;
}

/** The outputs of a local state file, or why there are none. */
function readState(file: string, stack: string): StackIds {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`stack \`${stack}\` has not been deployed from here: there is no state file ${file}; deploy it first, or pass --rest-api-id / --graphql-api-id`);
  }
  let state: { outputs?: Record<string, { value?: unknown }> };
  try {
    state = JSON.parse(text) as typeof state;
  } catch {
    throw new CliError(`the state file ${file} is not JSON`);
  }
  const out = state.outputs ?? {};
  const str = (name: string) => (typeof out[name]?.value === 'string' && out[name].value !== '' ? (out[name].value as string) : undefined);
  return { restApiId: str(OUTPUTS.restApiId), restApiStage: str(OUTPUTS.restApiStage), graphqlApiId: str(OUTPUTS.graphqlApiId) };
}

function endpointOf(env: Io['env'], service: 'API_GATEWAY' | 'APPSYNC'): string | undefined {
  return env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
}

type Io = Parameters<Command['run']>[1];

export const flushCommand: Command = {
  name: 'flush',
  summary: 'Empty the API Gateway stage cache and the AppSync API cache of an environment.',
  usage,
  help: formatHelp({
    usage,
    description: [
      'Flushes the caches of one deployed environment through the AWS SDK: the REST API stage cache (API Gateway FlushStageCache) and the GraphQL API cache (AppSync FlushApiCache). Without --rest or --graphql, every cache the config has is flushed; with one of them, only that one.',
      'The API ids are read from the stack\'s local Terraform state (<out>/stacks/<stack>/terraform.tfstate, the rest-api-id, rest-api-stage and graphql-api-id outputs). With an S3 backend, pass them: `terraform -chdir=<out>/stacks/<stack> output -raw rest-api-id`. The region is the config\'s; credentials come from the usual AWS SDK chain; AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_API_GATEWAY / AWS_ENDPOINT_URL_APPSYNC) points the calls at another endpoint.',
    ],
    arguments: [['FILE|DIR ...', `Config files, or directories whose *.yaml and *.yml files (directly inside) are read. Default: ${DEFAULT_CONFIG_DIR}`]],
    options: [
      ['--env NAME', 'The environment to flush; required when a file has environments.'],
      ['--rest', 'Flush the REST API stage cache (only).'],
      ['--graphql', 'Flush the GraphQL API cache (only).'],
      ['--rest-api-id ID', 'The REST API id, instead of reading it from the state.'],
      ['--graphql-api-id ID', 'The GraphQL API id, instead of reading it from the state.'],
      ['--out DIR', 'The synth output directory holding the stacks\' state. Default: cdktf.out'],
    ],
    exitCodes: [
      [0, 'Every cache asked for was flushed.'],
      [1, 'A config is invalid, or AWS refused a flush (the error is printed).'],
      [2, 'Usage error, an unknown --env, a stack that has not been deployed, or a config without the API asked for.'],
    ],
    examples: [
      ['cachestack flush config/user-service.yaml --env prod', 'Flush both caches of prod, with the ids from the local state.'],
      ['cachestack flush --env prod --rest --rest-api-id a1b2c3d4e5', 'Only the stage cache, with the id given (S3 backend).'],
    ],
  }),
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('flush', args, OPTIONS, true);
    const env = values.env as string | undefined;
    const onlyRest = values.rest === true;
    const onlyGraphql = values.graphql === true;
    const inputs = resolveInputs(positionals, io.cwd);
    if ('error' in inputs) throw new CliError(inputs.error);
    const result = loadConfig(inputs.files, { env, cwd: io.cwd });
    const { unknownEnvironmentMessage } = await import('../../plan/collect');
    if (result.unknownEnvironment !== undefined) throw new CliError(unknownEnvironmentMessage(result.unknownEnvironment, result));
    const unreadable = result.diagnostics.some((d) => d.code === 'file-unreadable');
    if (unreadable || result.files.some((f) => f.errors > 0)) {
      io.stderr(renderText({ files: result.files.map((f) => ({ path: f.file, environments: f.environments })), diagnostics: result.diagnostics, sources: result.sources, strict: false }, { color: useColor(io) }));
      io.stderr('cachestack flush: the config is invalid; run `cachestack validate` for details\n');
      return unreadable ? 2 : 1;
    }
    const models: ServiceModel[] = result.models;
    if (env === undefined && models.some((m) => m.environment !== undefined)) {
      const names = [...new Set(models.map((m) => m.environment).filter((e): e is string => e !== undefined))].sort();
      throw new CliError(`--env is required: name the environment to flush (${names.join(', ')})`);
    }
    if (models.length === 0) throw new CliError('no config to flush');
    const flagIds = values['rest-api-id'] !== undefined || values['graphql-api-id'] !== undefined;
    if (flagIds && models.length > 1) throw new CliError('--rest-api-id and --graphql-api-id name one stack: give one config file');

    const outDir = path.resolve(io.cwd, (values.out as string | undefined) ?? 'cdktf.out');
    const [{ APIGatewayClient, FlushStageCacheCommand }, { AppSyncClient, FlushApiCacheCommand }] = await Promise.all([
      import('@aws-sdk/client-api-gateway'),
      import('@aws-sdk/client-appsync'),
    ]);

    let failed = false;
    for (const m of models) {
      const wantRest = onlyRest || !onlyGraphql;
      const wantGraphql = onlyGraphql || !onlyRest;
      const rest = wantRest ? m.restApi : undefined;
      const graphql = wantGraphql && m.graphqlApi?.cache ? m.graphqlApi : undefined;
      if (onlyRest && !m.restApi) throw new CliError(`${m.sourceFile}: stack \`${m.stackName}\` has no \`restApi\` to flush`);
      if (onlyRest && m.restApi && !m.restApi.cache) throw new CliError(`${m.sourceFile}: the REST API of \`${m.stackName}\` has no stage cache (\`restApi.cache\`) to flush`);
      if (onlyGraphql && !m.graphqlApi) throw new CliError(`${m.sourceFile}: stack \`${m.stackName}\` has no \`graphqlApi\` to flush`);
      if (onlyGraphql && !m.graphqlApi?.cache) throw new CliError(`${m.sourceFile}: the GraphQL API of \`${m.stackName}\` has no cache (\`graphqlApi.cache\`) to flush`);
      const restTarget = rest?.cache ? rest : undefined;
      if (!restTarget && !graphql) {
        io.stdout(`${m.stackName}: no cache to flush (no restApi.cache, no graphqlApi.cache)\n`);
        continue;
      }

      const ids: StackIds = { restApiId: values['rest-api-id'] as string | undefined, graphqlApiId: values['graphql-api-id'] as string | undefined };
      const needState = (restTarget && !ids.restApiId) || (graphql && !ids.graphqlApiId);
      if (needState) {
        if (m.backend.kind === 's3') {
          const dir = path.relative(io.cwd, path.join(outDir, 'stacks', m.stackName)) || '.';
          throw new CliError(
            `the state of \`${m.stackName}\` is in S3 (s3://${m.backend.bucket}/${m.backend.key}/${m.stackName}.tfstate); pass the ids: ` +
              `--rest-api-id "$(terraform -chdir=${dir} output -raw ${OUTPUTS.restApiId})" and --graphql-api-id "$(terraform -chdir=${dir} output -raw ${OUTPUTS.graphqlApiId})"`,
          );
        }
        const state = readState(path.join(outDir, 'stacks', m.stackName, 'terraform.tfstate'), m.stackName);
        ids.restApiId ??= state.restApiId;
        ids.restApiStage = state.restApiStage;
        ids.graphqlApiId ??= state.graphqlApiId;
        if (restTarget && !ids.restApiId) throw new CliError(`stack \`${m.stackName}\` has no deployed REST API in its state (no \`${OUTPUTS.restApiId}\` output): deploy it, or pass --rest-api-id`);
        if (graphql && !ids.graphqlApiId) throw new CliError(`stack \`${m.stackName}\` has no deployed GraphQL API in its state (no \`${OUTPUTS.graphqlApiId}\` output): deploy it, or pass --graphql-api-id`);
      }

      if (restTarget && ids.restApiId) {
        const stage = ids.restApiStage ?? restTarget.stage;
        const client = new APIGatewayClient({ region: m.region, endpoint: endpointOf(io.env, 'API_GATEWAY') });
        try {
          await client.send(new FlushStageCacheCommand({ restApiId: ids.restApiId, stageName: stage }));
          io.stdout(`${m.stackName}: flushed the stage cache of REST API ${ids.restApiId}, stage ${stage}\n`);
        } catch (err) {
          failed = true;
          io.stderr(`cachestack flush: ${m.stackName}: FlushStageCache of ${ids.restApiId}/${stage} failed: ${(err as Error).name}: ${(err as Error).message}\n`);
        } finally {
          client.destroy();
        }
      }
      if (graphql && ids.graphqlApiId) {
        const client = new AppSyncClient({ region: m.region, endpoint: endpointOf(io.env, 'APPSYNC') });
        try {
          await client.send(new FlushApiCacheCommand({ apiId: ids.graphqlApiId }));
          io.stdout(`${m.stackName}: flushed the API cache of GraphQL API ${ids.graphqlApiId}\n`);
        } catch (err) {
          failed = true;
          io.stderr(`cachestack flush: ${m.stackName}: FlushApiCache of ${ids.graphqlApiId} failed: ${(err as Error).name}: ${(err as Error).message}\n`);
        } finally {
          client.destroy();
        }
      }
    }
    return failed ? 1 : 0;
  },
};
