import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The adapters' import rules, checked on the source: an adapter depends on the storage
// contract and the errors only (never on the register), the shared SQL engine never on an
// adapter, and no file imports itself back through others.

const root = fileURLToPath(new URL('../../', import.meta.url));
const adapters = join(root, 'src/adapters');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

/** Every relative import of a file, as repo paths (`src/...ts`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s+['"](\.[^'"]+)['"]/g)].map((match) =>
    relative(root, resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts'))),
  );
}

const graph = new Map(sourceFiles(adapters).map((file) => [relative(root, file), imports(file)]));

describe('adapter imports', () => {
  it('reach only src/adapters, src/store and src/errors', () => {
    const outside = [...graph].flatMap(([file, targets]) =>
      targets.filter((target) => !/^src\/(adapters|store|errors)\//.test(target)).map((target) => `${file} -> ${target}`),
    );
    expect(outside).toEqual([]);
    expect(graph.size).toBeGreaterThan(15);
  });

  it('the shared SQL engine imports no adapter, and neither adapter the other', () => {
    const crossing = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => {
          const [from, to] = [file.split('/')[2], target.split('/')[2]];
          return target.startsWith('src/adapters/') && from !== to && to !== 'sql';
        })
        .map((target) => `${file} -> ${target}`),
    );
    expect(crossing).toEqual([]);
  });

  it('have no cycles', () => {
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (path.includes(file)) {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      for (const target of graph.get(file) ?? []) visit(target, [...path, file]);
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
