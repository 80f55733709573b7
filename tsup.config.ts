import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
// The version logs name as their generator (src/log/format/generator.ts).
const define = { __CAPA_KIT_VERSION__: JSON.stringify(version) };

export default defineConfig([
  {
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
    log: 'src/log/index.ts',
  },
  define,
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
    // And the JSON Schema of a log line, the one `capa schema` prints.
    const log = pathToFileURL(resolve('dist/log.js')).href;
    const { buildLogJsonSchema } = (await import(log)) as { buildLogJsonSchema: () => unknown };
    await writeFile('dist/capa-kit.log.schema.json', `${JSON.stringify(buildLogJsonSchema(), null, 2)}\n`);
  },
  },
  {
    // The `capa` command line: an ES module for Node, in its own directory so that each
    // build cleans only its own output. The launcher checks the Node version before it
    // loads the rest (a chunk), so an old Node gets a sentence, not a syntax error.
    entry: { bin: 'src/cli/bin.ts' },
    outDir: 'dist/cli',
    format: ['esm'],
    dts: false,
    sourcemap: true,
    clean: true,
    splitting: true,
    target: 'es2022',
    platform: 'node',
    external: ['pg', 'better-sqlite3', '@electric-sql/pglite'],
    removeNodeProtocol: false,
    define,
  },
]);
