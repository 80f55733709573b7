import type * as FastCheckModule from 'fast-check';
import { isModuleNotFound, MissingPackageError } from '../errors/missing-package.js';

// fast-check is an optional peer dependency: the kit loads it when a property test first
// runs, not when `capa-kit/testing` is imported, so that without it the rest of the kit
// still runs and the property tests say what to install (instead of the module loader's
// "Cannot find package 'fast-check'" before any test could start).

/** The fast-check module, as `import * as fc from 'fast-check'` gives it. */
export type FastCheck = typeof FastCheckModule;

let loading: Promise<FastCheck> | null = null;

/** fast-check, loaded once; a `MissingPackageError` with the install command when it is not installed. */
export function fastCheck(): Promise<FastCheck> {
  loading ??= import('fast-check').then(
    (module) => module as FastCheck,
    (error: unknown) => {
      loading = null;
      if (!isModuleNotFound(error, 'fast-check')) throw error;
      throw new MissingPackageError('fast-check', 'capa-kit/testing', {
        dev: true,
        alternative: 'for its property tests; the other tests of the kit run without it',
        cause: error,
      });
    },
  );
  return loading;
}
