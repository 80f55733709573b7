// Exporting: the lines and their order, the header and trailer, the head equal to the
// register's, one consistent cut of the store, and a stream that never holds the register.
import { describe, expect, it } from 'vitest';
import { iso27001 } from 'capa-kit';
import { type CapaStore, ConcurrencyError, memoryStore } from 'capa-kit/register';
import { exportLog, LogHeader, LogLine, LogTrailer, validateLog } from '../../../src/log/index.js';
import { lastTenantSequence } from '../../../src/log/export/export-log.js';
import { actors } from '../../fixtures/events.js';
import { driveTo, instrument, raiseInput, setup } from '../../register/harness.js';
import { exportText, linesOf, richHistory, TENANT } from '../fixtures.js';

describe('exportLog', () => {
  it('writes the header, one line per record in id order, and the trailer; every line is valid against LogLine', async () => {
    const { h, register } = await richHistory();
    const lines: string[] = [];
    for await (const line of exportLog(h.store, { tenant: TENANT, organisation: 'Acme Ltd', policy: iso27001, clock: () => new Date('2026-11-22T09:00:00Z') })) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      lines.push(line);
    }
    const parsed = lines.map((line) => JSON.parse(line));
    const header = LogHeader.parse(parsed[0]);
    expect(header).toMatchObject({
      type: 'capa-log',
      format: 1,
      generatedAt: '2026-11-22T09:00:00.000Z',
      generator: { name: 'capa-kit' },
      tenant: { id: TENANT, organisation: 'Acme Ltd' },
      tenantSequence: (await register.logHead()).tenantSequence,
    });
    expect(parsed[0].policy).toEqual(iso27001);
    const records = parsed.slice(1, -1);
    for (const record of records) expect(LogLine.safeParse(record).success).toBe(true);
    const ids = records.map((record) => (record.finding ?? record.action).id as string);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    const trailer = LogTrailer.parse(parsed.at(-1));
    expect(trailer).toEqual({
      type: 'end',
      findings: records.filter((record) => record.type === 'finding').length,
      actions: records.filter((record) => record.type === 'action').length,
      entries: records.reduce((sum, record) => sum + record.history.length, 0),
      head: await register.logHead(),
    });
    // Each record's history is its history, oldest first, with the tenant sequences the store gave.
    for (const record of records) {
      const id = (record.finding ?? record.action).id as string;
      const events = await h.store.readEvents(TENANT, id);
      expect(record.history).toEqual(events.map((event) => ({ tenantSequence: event.tenantSequence, entry: event.entry })));
    }
  });

  it('the head equals register.logHead() for any batch size (the incremental hash)', async () => {
    const { h, register } = await richHistory();
    const head = await register.logHead();
    for (const batchSize of [1, 2, 3, 1000]) {
      let last = '';
      for await (const line of exportLog(h.store, { tenant: TENANT, policy: iso27001, batchSize })) last = line;
      expect(JSON.parse(last).head).toEqual(head);
    }
  });

  it('an empty tenant exports a header and a trailer with the empty head', async () => {
    const store = memoryStore();
    const text = await exportText(store);
    const lines = linesOf(text);
    expect(lines).toHaveLength(2);
    const register = setup({ store }).register;
    expect(lines[1]).toEqual({ type: 'end', findings: 0, actions: 0, entries: 0, head: await register.logHead() });
  });

  it('reads the records in batches, never the whole register at once', async () => {
    const store = instrument(memoryStore());
    const h = setup({ store });
    for (let i = 0; i < 12; i++) await h.register.raise(raiseInput({ title: `Finding ${i}` }));
    const loads: number[] = [];
    const spy: CapaStore = { ...store, load: async (tenant, ids) => (loads.push(ids.length), store.load(tenant, ids)) };
    let count = 0;
    for await (const _line of exportLog(spy, { tenant: TENANT, policy: iso27001, batchSize: 5 })) count += 1;
    expect(count).toBe(14);
    expect(loads).toEqual([5, 5, 2]);
  });

  it('is one cut of the store: records raised during the export are left out', async () => {
    const h = setup();
    await driveTo(h.register, 'contained');
    await h.register.raise(raiseInput({ title: 'Second' }));
    // A finding raised after the cut is taken, but before the ids are listed: listed, yet left out.
    let raised = false;
    const racing: CapaStore = {
      ...h.store,
      query: async (tenant, page) => {
        if (!raised) {
          raised = true;
          await h.register.raise(raiseInput({ title: 'Raised during the export' }));
        }
        return h.store.query(tenant, page);
      },
    };
    const lines: string[] = [];
    for await (const line of exportLog(racing, { tenant: TENANT, policy: iso27001, batchSize: 1 })) {
      lines.push(line);
      // And one raised while the lines are written.
      if (lines.length === 2) await h.register.raise(raiseInput({ title: 'Raised later still' }));
    }
    const text = lines.join('');
    expect(raised).toBe(true);
    expect(linesOf(text).filter((line) => line.type === 'finding')).toHaveLength(2);
    expect((await validateLog(text, { asOf: h.now() })).issues).toEqual([]);
  });

  it('stops with a ConcurrencyError when a record it has not written yet changes during the export', async () => {
    const h = setup();
    const first = await h.register.raise(raiseInput({ title: 'First' }));
    const second = await h.register.raise(raiseInput({ title: 'Second' }));
    const iterator = exportLog(h.store, { tenant: TENANT, policy: iso27001, batchSize: 1 });
    const changed = [first, second].sort((a, b) => (a.id < b.id ? 1 : -1))[0]!; // the later line
    await expect(
      (async () => {
        for await (const line of iterator) {
          if (JSON.parse(line).type === 'capa-log') await h.register.comment({ actor: actors.owner, findingId: changed.id, text: 'Changed meanwhile' });
        }
      })(),
    ).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('finds the last tenant sequence with a few small reads', async () => {
    const store = instrument(memoryStore());
    const h = setup({ store });
    expect(await lastTenantSequence(store, TENANT)).toBe(0);
    let reads = 0;
    const counting: CapaStore = { ...store, readTenantEvents: (t, after, limit) => ((reads += 1), store.readTenantEvents(t, after, limit)) };
    for (let i = 0; i < 37; i++) await h.register.raise(raiseInput({ title: `F${i}` }));
    expect(await lastTenantSequence(counting, TENANT)).toBe(37);
    expect(reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(37)) + 2);
    for (let n = 1; n <= 9; n++) {
      const s = memoryStore();
      const r = setup({ store: s }).register;
      for (let i = 0; i < n; i++) await r.raise(raiseInput({ title: `F${i}` }));
      expect(await lastTenantSequence(s, TENANT)).toBe(n);
    }
  });

  it('refuses an invalid policy before writing anything', async () => {
    const iterator = exportLog(memoryStore(), { tenant: TENANT, policy: { ...iso27001, grades: [] } });
    await expect(iterator.next()).rejects.toThrow(/policy/);
  });
});
