import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSamples } from './samples/check.js';
import { isModule, markdownSamples, sampleFileName, sampleModule, tsdocSamples } from './samples/extract.js';

// The code-sample check (`npm run check:samples`) on small inputs: what it reads, and that a
// failure is reported at the line a reader would fix. The real samples are checked by the
// script itself, from `npm test`.

describe('finding samples in Markdown', () => {
  const markdown = [
    '# Title', // 1
    '', // 2
    '```ts', // 3
    "import { iso27001 } from 'capa-kit';", // 4
    '```', // 5
    '', // 6
    '```sh', // 7
    'npm test', // 8
    '```', // 9
    '', // 10
    '- A list item:', // 11
    '', // 12
    '  ````typescript', // 13
    '  const a = 1;', // 14
    '  ```', // 15
    '    const b = 2;', // 16
    '  ````', // 17
    '', // 18
    '```ts nocheck', // 19
    'interface Sketch { a, b }', // 20
    '```', // 21
  ].join('\n');

  it('reads ts and typescript fences with the line of their first line of code, and nothing else', () => {
    const samples = markdownSamples('docs/x.md', markdown);
    expect(samples.map(({ line, code, skip }) => ({ line, code, skip }))).toEqual([
      { line: 4, code: "import { iso27001 } from 'capa-kit';\n", skip: null },
      // An indented fence loses its indentation; a longer fence holds a shorter one.
      { line: 14, code: 'const a = 1;\n```\n  const b = 2;\n', skip: null },
      { line: 20, code: 'interface Sketch { a, b }\n', skip: 'marked `ts nocheck`' },
    ]);
  });
});

describe('finding samples in TSDoc', () => {
  const source = [
    '/**', // 1
    ' * Adds.', // 2
    ' *', // 3
    ' * @example', // 4
    ' * ```ts', // 5
    " * import { add } from 'capa-kit';", // 6
    ' *', // 7
    ' * add(1,', // 8
    ' *     2);', // 9
    ' * ```', // 10
    ' */', // 11
    'export function add(a: number, b: number): number {', // 12
    "  const text = '/** @example\\n```ts\\nnot a comment\\n```\\n*/';", // 13
    '  return a + b + text.length;', // 14
    '}', // 15
  ].join('\n');

  it('reads the fenced blocks of JSDoc comments, without the stars, keeping indentation', () => {
    const samples = tsdocSamples('src/add.ts', source);
    expect(samples).toHaveLength(1);
    expect(samples[0]).toMatchObject({ file: 'src/add.ts', line: 6, code: "import { add } from 'capa-kit';\n\nadd(1,\n    2);\n" });
  });
});

describe('sample modules', () => {
  it('makes a script a module without moving its lines, and names the file after its origin', () => {
    expect(isModule('const a = 1;')).toBe(false);
    expect(isModule("import type { A } from 'a';")).toBe(true);
    expect(isModule('export const a = 1;')).toBe(true);
    const sample = { file: 'docs/x.md', line: 12, language: 'ts', code: 'await Promise.resolve(1);\n', skip: null };
    expect(sampleModule(sample)).toBe('await Promise.resolve(1);\nexport {};\n// docs/x.md:12\n');
    expect(sampleFileName(sample)).toBe('docs/x.md.L12.ts');
    expect(sampleFileName({ ...sample, language: 'cts' })).toBe('docs/x.md.L12.cts');
  });
});

describe('checking samples', () => {
  const into = fileURLToPath(new URL(`../artifacts/samples-${process.pid}`, import.meta.url));
  mkdirSync(into, { recursive: true });
  afterAll(() => rmSync(into, { recursive: true, force: true }));

  it('reports each error at its line in the origin file, and passes good samples', () => {
    const good = { file: 'docs/good.md', line: 3, language: 'ts', code: 'declare const n: number;\nconst m: number = n + 1;\n', skip: null };
    const bad = { file: 'docs/bad.md', line: 40, language: 'ts', code: "const a = 1;\nconst b: string = a;\n// @ts-expect-error\nconst c: number = 2;\n", skip: null };
    const problems = checkSamples([good, bad], into);
    expect(problems.map(({ sample, line, code, text }) => ({ file: sample.file, line, code, text }))).toEqual([
      { file: 'docs/bad.md', line: 41, code: 2322, text: 'const b: string = a;' },
      // An expected error that does not happen is an error too.
      { file: 'docs/bad.md', line: 42, code: 2578, text: '// @ts-expect-error' },
    ]);
  }, 30_000);
});
