import type { Arbitrary } from 'fast-check';
import type { RecordFilter, RecordIndex, RecordKind } from '../store/contract.js';
import type { FastCheck } from './fast-check.js';

// Random records and filters for the query properties. Every value comes from a small
// pool, and the filters' bounds from the same pools, so that conditions hit, ties happen
// (equal instants, dates at the bound) and the strict and inclusive comparisons differ.

/** The pools index values and filter values are drawn from. */
export const POOLS = {
  status: ['raised', 'investigating', 'closed', 'planned', 'done'],
  grade: ['minor', 'major', 'observation'],
  source: ['internal-audit', 'external-audit', 'incident'],
  ownerId: ['u-1', 'u-2', 'U-1'],
  requirement: ['ISO/IEC 27001:2022 A.5.18', 'ISO/IEC 27001:2022 A.8.8', 'ISO/IEC 27001:2022 9.2'],
  causeCategory: ['process', 'people', 'technology'],
  dueDate: ['2026-02-28', '2026-03-01', '2026-03-02', '2026-12-31'],
  instant: ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-02-01T08:30:00.000Z', '2026-02-01T08:30:00.001Z', '2026-06-30T23:59:59.999Z'],
  /** Lowercase words, as the register writes index text: LIKE wildcards, quotes, non-ASCII. */
  words: [
    'leavers',
    'kept',
    'accounts',
    'backup',
    'failed',
    'straße',
    'café',
    'cafe\u0301',
    'ñandú',
    'ελληνικός',
    '情報',
    '🔐',
    '50%',
    'a_b',
    '[x]',
    "o'brien",
    'nc-2026-0001',
  ],
} as const;

const NOT_IN_POOL = 'not-in-pool';

/** One record of a random data set: its final index, and maybe an earlier one it was first written with. */
export interface DatasetRecord {
  readonly kind: RecordKind;
  readonly id: string;
  readonly index: Omit<RecordIndex, 'reference'>;
  readonly earlier: Omit<RecordIndex, 'reference'> | null;
}

/** Whether upper-casing a character and lower-casing it again gives it back, one for one. */
const roundTripsCase = (char: string) => char.toUpperCase().length === char.length && char.toUpperCase().toLowerCase() === char;

const filterOf = (kind: RecordKind, values: Record<string, unknown>, chosen: readonly string[]): RecordFilter => {
  const filter: Record<string, unknown> = { kind };
  for (const name of chosen) filter[name] = values[name];
  return filter as unknown as RecordFilter;
};

/** The arbitraries of the query properties. */
export interface QueryArbitraries {
  readonly datasetArbitrary: Arbitrary<DatasetRecord[]>;
  readonly filterArbitrary: Arbitrary<RecordFilter>;
  readonly systematicFiltersArbitrary: Arbitrary<RecordFilter[]>;
  readonly limitsArbitrary: Arbitrary<number[]>;
}

/**
 * Builds the arbitraries with fast-check, once it is loaded (it is an optional peer:
 * loaded only when a property test runs, see fast-check.ts).
 */
export function queryArbitraries(fc: FastCheck): QueryArbitraries {
  const conditions = conditionArbitraries(fc);
  const CONDITION_NAMES = Object.keys(conditions) as (keyof typeof conditions)[];

  /** Random filters: a kind and up to three conditions (more would rarely match anything). */
  const filterArbitrary: Arbitrary<RecordFilter> = fc
    .tuple(fc.constantFrom<RecordKind>('finding', 'action'), fc.record(conditions), fc.subarray(CONDITION_NAMES, { maxLength: 3 }))
    .map(([kind, values, chosen]) => filterOf(kind, values, chosen));

  /**
   * One filter per condition, holding that condition alone, and one per other condition
   * paired with a recurrence (whose count must ignore the other conditions): so that every
   * run of a property tries every rule, whatever the random combinations did.
   */
  const systematicFiltersArbitrary: Arbitrary<RecordFilter[]> = fc
    .tuple(fc.constantFrom<RecordKind>('finding', 'action'), fc.record(conditions))
    .map(([kind, values]) => [
      ...CONDITION_NAMES.map((name) => filterOf(kind, values, [name])),
      ...CONDITION_NAMES.filter((name) => name !== 'recurrence').map((name) => filterOf(kind, values, [name, 'recurrence'])),
    ]);

  /** Page sizes to read a query with, taken in turn. */
  const limitsArbitrary: Arbitrary<number[]> = fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 4 });

  return { datasetArbitrary: datasetArbitrary(fc), filterArbitrary, systematicFiltersArbitrary, limitsArbitrary };
}

/**
 * Random data sets: unique ids that differ in case and in `-`/`_` (so a store must order
 * them by code point), a mix of kinds, and some records rewritten once.
 */
function datasetArbitrary(fc: FastCheck): Arbitrary<DatasetRecord[]> {
  /** A random value of the pool, or `null` now and then. */
  const nullable = (pool: readonly string[]) => fc.option(fc.constantFrom(...pool), { nil: null, freq: 4 });

  /** A random index: every field from its pool; the text a few lowercase words. The reference is the record's own (see `aRecord`). */
  const indexArbitrary: Arbitrary<Omit<RecordIndex, 'reference'>> = fc.record({
    status: fc.constantFrom(...POOLS.status),
    open: fc.boolean(),
    grade: nullable(POOLS.grade),
    source: nullable(POOLS.source),
    ownerId: nullable(POOLS.ownerId),
    requirement: nullable(POOLS.requirement),
    causeCategory: nullable(POOLS.causeCategory),
    dueDate: nullable(POOLS.dueDate),
    raisedAt: fc.constantFrom(...POOLS.instant),
    lastActivityAt: fc.constantFrom(...POOLS.instant),
    text: fc.array(fc.constantFrom(...POOLS.words), { maxLength: 3 }).map((words) => words.join(' ')),
  });

  return fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom<RecordKind>('finding', 'finding', 'action'),
      id: fc.stringMatching(/^[aAbB0_-]{1,3}$/),
      index: indexArbitrary,
      earlier: fc.option(indexArbitrary, { nil: null, freq: 3 }),
    }),
    { minLength: 4, maxLength: 30, size: 'medium', selector: (record) => record.id },
  );
}

/** Every condition a filter can have, each drawn from the pools. */
function conditionArbitraries(fc: FastCheck) {
  /** Text to search for: part of a pool word, some letters upper-cased; or a wildcard-like character. */
  const textArbitrary: Arbitrary<string> = fc.oneof(
    { weight: 6, arbitrary: fc
      .tuple(fc.constantFrom(...POOLS.words), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 0xffff }))
      .map(([word, from, length, upper]) => {
        const chars = [...word];
        const start = from % chars.length;
        const end = Math.min(chars.length, start + 1 + (length % chars.length));
        return chars
          .slice(start, end)
          .map((char, i) => ((upper >> i) % 2 === 1 && roundTripsCase(char) ? char.toUpperCase() : char))
          .join('');
      }) },
    { weight: 1, arbitrary: fc.constantFrom('%', '_', ' ', "'", '[', 'É', 'CAFÉ', 'e\u0301', 'NOTHING') },
  );

  /** A list condition: some pool values and maybe one outside it; now and then empty. */
  const listArbitrary = (pool: readonly string[]) => fc.subarray([...pool, NOT_IN_POOL], { minLength: 0 });

  return {
    status: listArbitrary(POOLS.status),
    open: fc.boolean(),
    grade: listArbitrary(POOLS.grade),
    source: listArbitrary(POOLS.source),
    ownerId: listArbitrary(POOLS.ownerId),
    requirement: listArbitrary(POOLS.requirement),
    causeCategory: listArbitrary(POOLS.causeCategory),
    text: textArbitrary,
    dueBefore: fc.constantFrom(...POOLS.dueDate, '2025-12-31'),
    dueOnOrBefore: fc.constantFrom(...POOLS.dueDate, '2025-12-31'),
    inactiveSince: fc.constantFrom(...POOLS.instant, '2025-12-31T23:59:59.999Z'),
    recurrence: fc.record({
      field: fc.constantFrom<'requirement' | 'causeCategory'>('requirement', 'causeCategory'),
      moreThan: fc.integer({ min: 0, max: 2 }),
      // Never the earliest instant: some records must fall outside the window.
      raisedSince: fc.constantFrom(...POOLS.instant.slice(1)),
    }),
  };
}
