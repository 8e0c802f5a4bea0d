/**
 * The class, units and status cells of claim rows, each distinct text checked once (the rules are
 * core/claim-cells.ts's) and turned into a small index: into the plan's classes, the distinct
 * units values and the distinct statuses of the ClaimTable.
 */
import type { UnitsValue } from '../core/claims.js';
import type { Plan } from '../core/plan.js';
import { formatDec, parseDec, type Dec } from '../core/decimal.js';
import { classKey, normaliseStatus, parseUnitsCell, unknownClassMessage } from '../core/claim-cells.js';

/** The outcome of checking one units cell: an index into the distinct values, or a message. */
export type UnitsCheck = number | string;

/** Most distinct cells remembered per field; past it a cell is checked again (same outcome). */
const CLASS_CACHE = 4096;
const UNITS_CACHE = 100_000;
const STATUS_CACHE = 4096;
/** The table keeps a status as a Uint16 index. */
const MAX_STATUSES = 0xffff;

export class ClaimFieldValues {
  /** Distinct units values, as the ClaimTable holds them. */
  readonly units: UnitsValue[] = [];
  /** Distinct statuses, trimmed and lower-cased. */
  readonly statuses: string[] = [];

  private readonly classIds: Map<string, number>;
  private readonly classList: string;
  private readonly classCache = new Map<string, number>();
  private readonly unitsCache = new Map<string, UnitsCheck>();
  private readonly unitsByText = new Map<string, number>();
  private readonly statusCache = new Map<string, number>();
  private readonly statusIndex = new Map<string, number>();
  // The last cell of each and what it gave: consecutive rows mostly repeat their class, units and
  // status (the fast tokenizer then hands on the very same string), so most rows need no lookup.
  private lastClass: string | undefined;
  private lastClassIndex = -1;
  private lastUnits: string | undefined;
  private lastUnitsCheck: UnitsCheck = -1;
  private lastStatus: string | undefined;
  private lastStatusIndex = -1;
  private defaultUnitsIndex = -1;

  constructor(plan: Plan) {
    this.classIds = new Map(plan.classes.map((c, i) => [classKey(c.id), i]));
    this.classList = plan.classes.map((c) => c.id).join(', ');
  }

  /** The index of the plan's class a cell names, or -1 (see `unknownClass`). */
  classIndex(cell: string): number {
    if (cell === this.lastClass) return this.lastClassIndex;
    let ci = this.classCache.get(cell);
    if (ci === undefined) {
      ci = this.classIds.get(classKey(cell)) ?? -1;
      if (this.classCache.size < CLASS_CACHE) this.classCache.set(cell, ci);
    }
    this.lastClass = cell;
    this.lastClassIndex = ci;
    return ci;
  }

  /** Why a cell for which `classIndex` gave -1 is no class. */
  unknownClass(cell: string): string {
    return unknownClassMessage(cell, this.classList);
  }

  /** A units cell: the index of its value, or what is wrong with it. */
  unitsOf(cell: string): UnitsCheck {
    if (cell === this.lastUnits) return this.lastUnitsCheck;
    let result = this.unitsCache.get(cell);
    if (result === undefined) {
      const parsed = parseUnitsCell(cell.trim());
      result = typeof parsed === 'string' ? parsed : this.internUnits(parsed);
      if (this.unitsCache.size < UNITS_CACHE) this.unitsCache.set(cell, result);
    }
    this.lastUnits = cell;
    this.lastUnitsCheck = result;
    return result;
  }

  /** The units of every claim when the file has no units column: 1. */
  defaultUnits(): number {
    if (this.defaultUnitsIndex < 0) this.defaultUnitsIndex = this.internUnits({ n: 1n, scale: 0 });
    return this.defaultUnitsIndex;
  }

  private internUnits(value: Dec): number {
    const text = formatDec(value);
    let i = this.unitsByText.get(text);
    if (i === undefined) {
      i = this.units.length;
      const canonical = parseDec(text) as Dec;
      this.units.push({ text, value: canonical });
      this.unitsByText.set(text, i);
    }
    return i;
  }

  /** The index of a status cell's status ("" when there is no status column), or -1 past 65,535 distinct ones. */
  statusOf(cell: string): number {
    if (cell === this.lastStatus) return this.lastStatusIndex;
    let i = this.statusCache.get(cell);
    if (i !== undefined) {
      this.lastStatus = cell;
      this.lastStatusIndex = i;
      return i;
    }
    const status = normaliseStatus(cell);
    i = this.statusIndex.get(status);
    if (i === undefined) {
      if (this.statuses.length >= MAX_STATUSES) return -1;
      i = this.statuses.length;
      this.statuses.push(status);
      this.statusIndex.set(status, i);
    }
    if (this.statusCache.size < STATUS_CACHE) this.statusCache.set(cell, i);
    return i;
  }
}
