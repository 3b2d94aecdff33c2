#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (built by `npm run build`, which `npm install` runs through `prepare`).
// Everything else, errors included, is handled by runMain in src/cli/main.ts.
function load() {
  try {
    return require('../dist/src/cli/main.js');
  } catch (error) {
    const notBuilt = error && error.code === 'MODULE_NOT_FOUND' && /dist[\\/]src[\\/]cli[\\/]main\.js/.test(String(error.message));
    process.stderr.write(
      notBuilt
        ? 'cachestack: the CLI is not built; run `npm run build` in the cachestack package\n'
        : `cachestack: internal error: ${String((error && error.message) || error).split('\n')[0]} (please report this)\n`,
    );
    if (!notBuilt && process.env.CACHESTACK_DEBUG === '1' && error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 2;
    return undefined;
  }
}

const cli = load();
if (cli) cli.runMain();
