/**
 * The payment files and their control lines, as both batch builders (batch.ts, record-batch.ts)
 * and the limits they share (batch-limits.ts) speak of them: apart, so that none of them imports
 * another in a circle.
 */
import type { Cents } from '../money.js';
import type { Chunk } from './text-chunks.js';

export type FileMethod = 'paypal' | 'ach' | 'check';

export interface PaymentFile {
  name: string;
  method: FileMethod;
  /** The file's text, in chunks. */
  text: Chunk[];
  count: number;
  amount: Cents;
}

export interface ControlLine {
  count: number;
  amount: Cents;
}
