// Finds the TypeScript code samples in Markdown and in TSDoc comments, with the file and
// line each starts at, so that `check.ts` can compile them and report a failure where a
// reader would fix it.
import ts from 'typescript';

/** One code sample, as written in its file. */
export interface Sample {
  /** The file it is in, relative to the repo root, with `/` separators. */
  readonly file: string;
  /** The line (from 1) of the sample's first line of code: the line after the opening fence. */
  readonly line: number;
  /** The fence's language: `ts` or `typescript` (an ES module), `mts`, or `cts` (CommonJS). */
  readonly language: string;
  /** The code, fence and comment markers removed. */
  readonly code: string;
  /** Why it is not compiled (the fence says `nocheck`), or `null`. */
  readonly skip: string | null;
}

/** The languages compiled. Other fences (sh, json, mermaid, text) are prose. */
const TYPESCRIPT = new Set(['ts', 'typescript', 'mts', 'cts']);

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)(.*)$/;

/**
 * Fenced TypeScript blocks in `lines`, numbered from `firstLine`. The info string's first
 * word is the language; `nocheck` after it (```ts nocheck) keeps the block out of the
 * check. Indented fences (in a list) are read with their indentation removed.
 */
function fencedBlocks(file: string, lines: readonly string[], firstLine: number): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const open = FENCE.exec(lines[i]!);
    if (open === null) continue;
    const [, indent = '', marker = '', language = '', rest = ''] = open;
    // The closing fence: the same character, at least as long, nothing after it.
    let end = i + 1;
    while (end < lines.length) {
      const close = /^(\s*)(`{3,}|~{3,})\s*$/.exec(lines[end]!);
      if (close !== null && close[2]![0] === marker[0] && close[2]!.length >= marker.length) break;
      end += 1;
    }
    if (TYPESCRIPT.has(language.toLowerCase())) {
      const body = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
      const flags = rest.trim().split(/\s+/);
      samples.push({
        file,
        line: firstLine + i + 1,
        language: language.toLowerCase(),
        code: `${body.join('\n')}\n`,
        skip: flags.includes('nocheck') ? `marked \`${language} nocheck\`` : null,
      });
    }
    i = end;
  }
  return samples;
}

/** The TypeScript blocks of a Markdown file. */
export function markdownSamples(file: string, text: string): Sample[] {
  return fencedBlocks(file, text.split(/\r?\n/), 1);
}

/**
 * The TypeScript blocks of every JSDoc comment in a TypeScript file: the `@example`
 * blocks TypeDoc renders, and any fenced block in a description. Comments are found by
 * the compiler's parser, so text that only looks like a comment (in a string) is not read.
 */
export function tsdocSamples(file: string, text: string): Sample[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const seen = new Set<number>();
  const samples: Sample[] = [];
  const visit = (node: ts.Node): void => {
    for (const doc of (node as { jsDoc?: readonly ts.JSDoc[] }).jsDoc ?? []) {
      if (seen.has(doc.pos)) continue;
      seen.add(doc.pos);
      const start = doc.getStart(source);
      const firstLine = source.getLineAndCharacterOfPosition(start).line + 1;
      // ` * code` → `code`: the star, and one space after it, are the comment's own.
      const lines = text
        .slice(start, doc.end)
        .split(/\r?\n/)
        .map((line, index) => {
          if (index === 0) return line.replace(/^\/\*\*\s?/, '');
          return line.replace(/\s*\*\/$/, '').replace(/^\s*\* ?/, '');
        });
      samples.push(...fencedBlocks(file, lines, firstLine));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return samples;
}

/** True when the code is already a module (an import or export), so it gets no `export {}`. */
export function isModule(code: string): boolean {
  const source = ts.createSourceFile('sample.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  return source.statements.some(
    (statement) =>
      ts.isImportDeclaration(statement) ||
      ts.isImportEqualsDeclaration(statement) ||
      ts.isExportDeclaration(statement) ||
      ts.isExportAssignment(statement) ||
      (ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)),
  );
}

/** The file a sample is written to under the scratch directory: its origin, and its line. */
export function sampleFileName(sample: Sample): string {
  const extension = sample.language === 'cts' || sample.language === 'mts' ? sample.language : 'ts';
  return `${sample.file}.L${sample.line}.${extension}`;
}

/**
 * The file's text: the code unchanged, line for line (so a diagnostic's line maps back by
 * an offset), made a module when it is not one, and its origin in a trailing comment.
 */
export function sampleModule(sample: Sample): string {
  const tail = isModule(sample.code) ? '' : 'export {};\n';
  return `${sample.code}${tail}// ${sample.file}:${sample.line}\n`;
}
