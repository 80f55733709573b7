import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessReviews, runThroughRegister } from '../../examples/scenarios/index.js';
import { fileStore } from '../../src/stores/file/index.js';
import { PG_URL, serverDescribe, serverSchema } from '../adapters/postgres/server.js';
import { capa, scratch } from './support.js';

// The CLI on a real PostgreSQL server (CAPA_PG_URL; skipped without it): a database without
// capa-kit tables is "no capa store", and is left without them; migrate creates them; an
// empty tenant is refused unless --allow-empty; a log goes in and comes out with its head.
// The CLI has no schema option: the URL's search_path puts this file's tables in a schema
// of its own.
serverDescribe('capa on PostgreSQL', () => {
  const schema = serverSchema();
  const dir = scratch('postgres');
  let url = '';
  let head = '';

  beforeAll(async () => {
    await schema.pool.query(`CREATE SCHEMA "${schema.name}"`);
    const server = new URL(PG_URL!);
    server.searchParams.set('options', `-c search_path=${schema.name}`);
    url = server.toString();
    const store = await fileStore(join(dir, 'store'));
    for await (const _step of runThroughRegister(store, [accessReviews]));
    await store.close();
    const exported = await capa(dir, ['export', '--store', 'store', '--tenant', 'acme', '--out', 'acme.jsonl']);
    head = /log head (\d+:[0-9a-f]{64})/.exec(exported.stderr)?.[1] ?? '';
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const tables = async () => (await schema.pool.query('SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1', [schema.name])).rows[0].n as number;

  it('a database without capa-kit tables: export is exit 2, "no capa store at", and creates nothing', async () => {
    const run = await capa(dir, ['export', '--store', url, '--tenant', 'acme', '--out', 'out.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^capa: CAPA_STORE_MISSING: No capa store at PostgreSQL \S+, tables capa_\*: the database has no capa-kit tables \(no capa_schema_migrations\)/);
    const { username, password } = new URL(PG_URL!);
    expect(run.stderr).not.toContain(`${username}:${password}@`);
    expect(await tables()).toBe(0);
    const imported = await capa(dir, ['import', 'acme.jsonl', '--store', url]);
    expect(imported.code).toBe(2);
    expect(await tables()).toBe(0);
  }, 60_000);

  it('migrate creates the tables; an empty tenant is refused unless --allow-empty; a log goes in and out with its head', async () => {
    expect((await capa(dir, ['migrate', '--store', url])).code).toBe(0);
    expect(await tables()).toBeGreaterThan(0);
    expect((await capa(dir, ['export', '--store', url, '--tenant', 'acme'])).code).toBe(2);
    expect((await capa(dir, ['export', '--store', url, '--tenant', 'acme', '--allow-empty', '--out', 'empty.jsonl'])).code).toBe(0);
    const imported = await capa(dir, ['import', 'acme.jsonl', '--store', url]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain(`Log head ${head}.`);
    const exported = await capa(dir, ['export', '--store', url, '--tenant', 'acme', '--out', 'back.jsonl']);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toContain(`log head ${head}`);
    expect(readFileSync(join(dir, 'back.jsonl'), 'utf8').split('\n').length).toBe(readFileSync(join(dir, 'acme.jsonl'), 'utf8').split('\n').length);
  }, 60_000);
});
