#!/usr/bin/env node
// The `capa` executable. Kept to syntax every Node since 12 parses, and it checks the
// version before loading anything else: on an old Node a person gets a sentence, not a
// syntax error from deep inside a dependency. An old Node is the environment: exit 2, as
// the exit-code table (exit-codes.ts, bundled in: it imports nothing) says.
import { EXIT } from './exit-codes.js';

const MINIMUM = [22, 12] as const;
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);

if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
  process.stderr.write(`capa needs Node.js ${MINIMUM.join('.')} or newer (22 LTS or 24 LTS); this is Node.js ${process.versions.node}.\n`);
  process.exitCode = EXIT.unusable;
} else {
  import('./run.js').then(
    ({ main }) => main(),
    (error: unknown) => {
      process.stderr.write(`capa: could not start: ${String(error)}\n`);
      process.exitCode = EXIT.unusable;
    },
  );
}
