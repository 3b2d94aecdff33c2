#!/usr/bin/env node
'use strict';
// Runs the compiled CLI (built by `npm run build`, which `npm install` runs through `prepare`).
require('../dist/src/cli/main.js').runMain();
