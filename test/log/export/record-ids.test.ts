// The export's packed id list sorts as Array.prototype.sort sorts strings (UTF-16 code units).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RecordIds } from '../../../src/log/export/record-ids.js';

const sorted = (ids: readonly string[]) => {
  const list = new RecordIds();
  for (const id of ids) list.add(id);
  list.sort();
  return list.slice(0, list.size);
};

describe('RecordIds', () => {
  it('reads back every id, sorted by UTF-16 code units', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'A', '-', '_', '0', '\uFFFF', '\uD83D', '\uDE00'), maxLength: 6 }), { maxLength: 300 }), (ids) => {
        expect(sorted(ids)).toEqual([...ids].sort());
      }),
    );
  });

  it('sorts large, ordered, reversed and repetitive lists, in slices', () => {
    const cases = [
      Array.from({ length: 20_000 }, (_, i) => `r${String(i).padStart(6, '0')}`),
      Array.from({ length: 20_000 }, (_, i) => `r${String(20_000 - i).padStart(6, '0')}`),
      Array.from({ length: 20_000 }, (_, i) => String(i % 7)),
      Array.from({ length: 20_000 }, (_, i) => ((i * 2_654_435_761) % 1_000_003).toString(36)),
    ];
    for (const ids of cases) {
      const list = new RecordIds();
      for (const id of ids) list.add(id);
      list.sort();
      const read: string[] = [];
      for (let start = 0; start < list.size; start += 777) read.push(...list.slice(start, start + 777));
      expect(read).toEqual([...ids].sort());
    }
  });
});
