#!/usr/bin/env node
'use strict';
// Runs before `npm run cachestack` (the `precachestack` script) and, preloaded with
// `node -r ./scripts/ensure-built.js dist/main.js`, as cdktf.json's app before
// dist/main.js is loaded (one Node.js start instead of two): rebuilds dist/ with tsc
// only when a source file is newer than the last build, so the command always runs
// the code in the checkout without paying for a compile on every call.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.tsbuildinfo');
const sources = ['main.ts', 'src', 'handlers', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules' || entry === '.out') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

let built = 0;
try {
  built = fs.statSync(stamp).mtimeMs;
} catch {
  built = 0;
}
const changed = sources.some((s) => newestMtime(path.join(root, s)) > built);
if (changed) {
  process.stderr.write('cachestack: sources changed since the last build, running tsc …\n');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  // tsc leaves its build info untouched when nothing it emits changed (a comment
  // edit, a touched file): mark the build as current so the next run is instant.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}
