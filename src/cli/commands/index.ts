import type { Command } from 'commander';
import { registerValidate } from './validate.js';
import { registerAllocate } from './allocate.js';
import { registerReport } from './report.js';
import { registerVerify } from './verify.js';
import { registerExplain } from './explain.js';
import { registerEstimate } from './estimate.js';
import { registerRedistribute } from './redistribute.js';

/** Every command, in the order `payout --help` lists them. */
export function registerCommands(program: Command): void {
  registerValidate(program);
  registerAllocate(program);
  registerVerify(program);
  registerExplain(program);
  registerReport(program);
  registerEstimate(program);
  registerRedistribute(program);
}
