import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// Bundles an entry the way a browser app would. esbuild fails on any Node built-in
// under `platform: 'browser'`, and the metafile says which packages went in.
async function bundle(entry: string) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
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
