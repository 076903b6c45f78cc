// Entry point of the `kubectl-gs` executable (bin/kubectl-gs.mjs runs the
// compiled copy; `tsx src/cli/kubectl-gs.ts` runs it from a checkout).
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  now: Date.now,
  interactive: process.stderr.isTTY === true,
});
