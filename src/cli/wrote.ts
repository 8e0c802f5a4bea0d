/**
 * The line that says what a command wrote, the same on every command: `Wrote PATH` and what it
 * holds (`Wrote out/ledger.csv (3,000 rows), summary.json, manifest.json`). Sentence case, as the
 * summary lines around it (`Paid to claimants`, `Check: …`).
 */
export const wroteLine = (what: string): string => `Wrote ${what}`;
