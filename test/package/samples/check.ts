// `npm run check:samples [-- FILTER...]`: every TypeScript code sample of the docs compiles.
//
// Reads the ```ts blocks of README.md, CONTRIBUTING.md, docs/**/*.md (not the generated
// docs/api) and examples/**/*.md, and the ```ts blocks of every TSDoc comment in src/**
// (the `@example`s the API reference shows). Writes each as a module into .samples/
// (gitignored; kept after the run for a look), then type-checks them all in one program
// with the repo's compiler options, `capa-kit/...` resolved to the source through the
// tsconfig `paths` (the packed package's own types are checked by `npm run check:packed`).
//
// A sample is a module: top-level `await` works, and `declare const store: CapaStore;`
// stands for what the reader already has. A block that must not be compiled says so in
// its fence, ```ts nocheck, and is listed at the end; `// @ts-expect-error` inside a
// sample shows misuse (and fails if the line compiles after all).
//
// FILTER: only samples whose file contains one of these strings (e.g. `docs/log.md`).
// Exit code 0 when every sample compiles, 1 otherwise, with file:line of each failure.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { markdownSamples, type Sample, sampleFileName, sampleModule, tsdocSamples } from './extract.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const scratch = join(root, '.samples');

/** Files under `dir` (relative to the root) whose names pass `keep`, skipping `skip` directories. */
function walk(dir: string, keep: (name: string) => boolean, skip: readonly string[] = []): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    let entries;
    try {
      entries = readdirSync(join(root, path), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path === '' ? entry.name : `${path}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skip.includes(child) && entry.name !== 'node_modules') visit(child);
      } else if (keep(entry.name)) found.push(child);
    }
  };
  visit(dir);
  return found;
}

/** Every sample of the repo, Markdown first, in a stable order. */
export function collectSamples(): Sample[] {
  const markdown = [
    ...['README.md', 'CONTRIBUTING.md'].filter((file) => walk('', (name) => name === file).includes(file)),
    ...walk('docs', (name) => name.endsWith('.md'), ['docs/api']),
    ...walk('examples', (name) => name.endsWith('.md')),
  ];
  const sources = walk('src', (name) => name.endsWith('.ts') && !name.endsWith('.d.ts'));
  return [
    ...markdown.flatMap((file) => markdownSamples(file, readFileSync(join(root, file), 'utf8'))),
    ...sources.flatMap((file) => tsdocSamples(file, readFileSync(join(root, file), 'utf8'))),
  ];
}

/** The repo's compiler options (tsconfig.json: strict, paths to the source), for samples. */
function compilerOptions(): ts.CompilerOptions {
  const read = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  if (read.error !== undefined) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root);
  return { ...parsed.options, noEmit: true, incremental: false };
}

/** One compile error, placed where the reader sees it. */
export interface SampleProblem {
  readonly sample: Sample;
  /** The line in the origin file. */
  readonly line: number;
  readonly code: number;
  readonly message: string;
  /** The sample's line of code the error is on. */
  readonly text: string;
}

/**
 * Type-checks the samples, written under `into` (emptied first; it must be inside the repo
 * so that packages resolve from its node_modules), and maps each error back to its origin.
 */
export function checkSamples(samples: readonly Sample[], into: string = scratch): SampleProblem[] {
  rmSync(into, { recursive: true, force: true });
  const byPath = new Map<string, Sample>();
  for (const sample of samples) {
    const path = join(into, ...sampleFileName(sample).split('/'));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, sampleModule(sample));
    byPath.set(path.split(sep).join('/'), sample);
  }
  const program = ts.createProgram([...byPath.keys()], compilerOptions());
  const problems: SampleProblem[] = [];
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (global.length > 0) throw new Error(ts.formatDiagnostics(global, formatHost));
  for (const [path, sample] of byPath) {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`${path} is not in the program`);
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    for (const diagnostic of diagnostics) {
      const at = diagnostic.start === undefined ? 0 : source.getLineAndCharacterOfPosition(diagnostic.start).line;
      problems.push({
        sample,
        line: sample.line + at,
        code: diagnostic.code,
        message: ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
        text: sample.code.split('\n')[at] ?? '',
      });
    }
  }
  return problems;
}

const formatHost: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

function main(filters: readonly string[]): number {
  const started = performance.now();
  const all = collectSamples();
  const chosen = filters.length === 0 ? all : all.filter((sample) => filters.some((filter) => sample.file.includes(filter)));
  const skipped = chosen.filter((sample) => sample.skip !== null);
  const checked = chosen.filter((sample) => sample.skip === null);
  const problems = checkSamples(checked);
  for (const problem of problems) {
    console.error(`${problem.sample.file}:${problem.line}: error TS${problem.code}: ${problem.message.replaceAll('\n', '\n    ')}`);
    console.error(`    ${problem.text.trim()}`);
  }
  const fromMarkdown = checked.filter((sample) => sample.file.endsWith('.md')).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `${checked.length} code samples type-checked (${fromMarkdown} from Markdown, ${checked.length - fromMarkdown} from TSDoc) in ${seconds} s; ` +
      `written to ${relative(root, scratch)}/`,
  );
  for (const sample of skipped) console.log(`  not compiled: ${sample.file}:${sample.line} (${sample.skip})`);
  if (problems.length > 0) {
    const failing = new Set(problems.map((problem) => `${problem.sample.file}:${problem.sample.line}`));
    console.error(`${problems.length} errors in ${failing.size} samples. Fix the sample (or the API), or mark a block that is not meant to compile with \`\`\`ts nocheck.`);
    return 1;
  }
  return 0;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2));
}
