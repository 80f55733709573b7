import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    machine: 'src/machine/index.ts',
    schemas: 'src/schemas/entry.ts',
    policies: 'src/policies/entry.ts',
    register: 'src/register/index.ts',
    'stores/file': 'src/stores/file/index.ts',
    'adapters/sqlite': 'src/adapters/sqlite/index.ts',
    'adapters/postgres': 'src/adapters/postgres/index.ts',
    testing: 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  splitting: true,
  target: 'es2022',
  platform: 'neutral',
  // Only the file store (a Node-only subpath) uses Node built-ins; the browser test keeps
  // them out of the core, machine, register and testing entries. The database clients are
  // optional peers: the SQLite adapter never imports its drivers (the host passes the
  // database), the PostgreSQL adapter imports pg only for a connection string, at run time.
  external: [/^node:/, 'pg', 'better-sqlite3', '@electric-sql/pglite'],
  // tsup strips `node:` by default, which breaks `require('node:sqlite')` at run time.
  removeNodeProtocol: false,
  async onSuccess() {
    // The JSON Schema of every record, generated from the zod schemas we just built.
    // A computed specifier, so the config bundler leaves the import to run time.
    const built = pathToFileURL(resolve('dist/schemas.js')).href;
    const { buildJsonSchema } = (await import(built)) as { buildJsonSchema: () => unknown };
    await writeFile('dist/capa-kit.schema.json', `${JSON.stringify(buildJsonSchema(), null, 2)}\n`);
  },
});
