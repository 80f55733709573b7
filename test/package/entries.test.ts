import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Bundles an entry the way a browser app would. esbuild fails on any Node built-in
// under `platform: 'browser'`, and the metafile says which packages went in.
async function bundle(entry: string, platform: 'browser' | 'node' = 'browser') {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform,
    metafile: true,
    logLevel: 'silent',
    // Node's own modules stay imports (checked below for the browser).
    ...(platform === 'node' ? { packages: 'external' as const } : {}),
  });
  const code = result.outputFiles[0]!.contents;
  const inputs = Object.keys(result.metafile.inputs);
  return { inputs, gzipped: gzipSync(code).length };
}

const fromPackage = (inputs: string[], name: string) => inputs.filter((path) => path.includes(`node_modules/${name}/`));

describe('entry points in a browser bundle', () => {
  it('capa-kit/machine bundles for the browser without zod or Node built-ins', async () => {
    const { inputs, gzipped } = await bundle('src/machine/index.ts');
    expect(fromPackage(inputs, 'zod')).toEqual([]);
    expect(fromPackage(inputs, 'xstate').length).toBeGreaterThan(0);
    expect(inputs.some((path) => path.startsWith('node:'))).toBe(false);
    // A sanity bound, far above the budget kept by the size check: catches an accidental import of everything.
    expect(gzipped).toBeLessThan(40_000);
  });

  it('the core entry bundles for the browser without Node built-ins', async () => {
    const { inputs } = await bundle('src/index.ts');
    expect(inputs.some((path) => path.startsWith('node:'))).toBe(false);
    expect(fromPackage(inputs, 'zod').length).toBeGreaterThan(0);
  });
});

describe('the SQL adapters stay behind their subpaths', () => {
  it.each(['src/index.ts', 'src/machine/index.ts', 'src/register/index.ts', 'src/testing/index.ts'])('%s bundles none of the adapters', async (entry) => {
    const { inputs } = await bundle(entry);
    expect(inputs.filter((path) => path.includes('src/adapters/'))).toEqual([]);
  });

  it.each(['src/adapters/sqlite/index.ts', 'src/adapters/postgres/index.ts'])('%s imports no package at load time, and nothing of the register', async (entry) => {
    const { inputs } = await bundle(entry, 'node');
    expect(inputs.filter((path) => /src\/(register|machine|schemas|policies|history)\//.test(path))).toEqual([]);
    const result = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', platform: 'node', packages: 'external', logLevel: 'silent' });
    const code = result.outputFiles[0]!.text;
    expect(code.match(/^import .*$/gm) ?? []).toEqual([]);
    // Only the PostgreSQL adapter loads a client, pg, on demand (for a connection string).
    expect(code.match(/\bimport\(["'][^"']+["']\)/g) ?? []).toEqual(entry.includes('postgres') ? ['import("pg")'] : []);
  });
});
