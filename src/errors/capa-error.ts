import type { CapaErrorCode } from './codes.js';

/**
 * The base class of every error capa-kit throws. Each carries a stable
 * {@link CapaErrorCode}; render any of them for people with {@link formatCapaError}.
 *
 * @example
 * ```ts
 * import { CapaError, formatCapaError } from 'capa-kit';
 *
 * function report(error: unknown): string {
 *   return error instanceof CapaError ? formatCapaError(error) : String(error);
 * }
 * ```
 */
export class CapaError extends Error {
  /** The stable code of this error. */
  readonly code: CapaErrorCode;

  constructor(code: CapaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * True when `value` is a capa-kit error, optionally with the given code. Works
 * across bundles and realms, where `instanceof` may not.
 *
 * @example
 * ```ts
 * import { isCapaError } from 'capa-kit';
 *
 * try {
 *   // ...
 * } catch (error) {
 *   if (isCapaError(error, 'CAPA_TRANSITION_REFUSED')) console.log(error.message);
 * }
 * ```
 */
export function isCapaError(value: unknown, code?: CapaErrorCode): value is CapaError {
  if (value instanceof CapaError) return code === undefined || value.code === code;
  // Another copy of capa-kit, or another realm (a vm context, an iframe): no shared
  // prototype, so recognise the shape instead.
  // Object.prototype.toString reads the [[ErrorData]] slot, which every realm's Error has.
  if (Object.prototype.toString.call(value) !== '[object Error]') return false;
  const candidate = value as { code?: unknown; message?: unknown };
  return (
    typeof candidate.message === 'string' &&
    typeof candidate.code === 'string' &&
    candidate.code.startsWith('CAPA_') &&
    (code === undefined || candidate.code === code)
  );
}
