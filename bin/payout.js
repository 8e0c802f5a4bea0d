#!/usr/bin/env node
// The `payout` command. The program lives in dist/bundle/ (built by `npm install` via the prepare
// script: tsc, then scripts/bundle.js).
import { main } from '../dist/bundle/main.js';

let settled = false;
main(process.argv).then((code) => {
  settled = true;
  process.exitCode = code;
});

// Node is about to exit because nothing is left to run, yet main() has not settled: some work
// waited on something that will never come. That must never look like success (exit 0, silent).
process.once('beforeExit', () => {
  if (settled) return;
  process.stderr.write('payout: internal error: the run stopped before it finished (please report it with the command you ran)\n');
  process.exitCode = 2;
});
