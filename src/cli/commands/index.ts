/**
 * The registry of cachestack commands, in the order `cachestack --help` lists them.
 *
 * To add a command:
 *   1. write `src/cli/commands/<name>.ts` exporting a `Command` (see ../command.ts;
 *      build its `help` with `formatHelp`, parse arguments with `parseCommandArgs`);
 *   2. import it below and add it to COMMANDS: that is all the wiring there is.
 *      `cachestack <name>`, `cachestack help <name>`, `cachestack <name> --help`,
 *      usage errors, the command table of docs/config.md (`npm run docs`) and the
 *      tests in test/cli/main.test.ts (help layout, unknown flags, no stack trace)
 *      then cover it.
 *
 * Every module listed here is loaded by every invocation, `cachestack validate`
 * included, which must not load cdktf: import src/infra, cdktf or esbuild inside
 * your `run` with `await import(...)`, never at the top of the module
 * (test/cli/process.test.ts checks this).
 */
import type { Command } from '../command';
import { schemaCommand } from './schema';
import { validateCommand } from './validate';
import { synthCommand } from './synth';
import { explainCommand } from './explain';
import { diffCommand } from './diff';
import { initCommand } from './init';
import { flushCommand } from './flush';

export const COMMANDS: readonly Command[] = [
  validateCommand,
  synthCommand,
  explainCommand,
  diffCommand,
  flushCommand,
  schemaCommand,
  initCommand,
];
