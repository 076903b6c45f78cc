#!/usr/bin/env node
// kubectl finds this as the plugin `kubectl gs` once it is on PATH
// (npm install -g, npx, or npm link). It runs the compiled CLI: `npm run
// build` first when running from a checkout.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/kubectl-gs.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('error: kubectl-gs is not built: run `npm run build` in the gamekeeper checkout\n');
  process.exit(1);
}
await import(entry.href);
