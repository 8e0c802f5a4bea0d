#!/usr/bin/env node
// The `payout` command. The program lives in dist/ (built by `npm install` via the prepare script).
import { main } from '../dist/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
