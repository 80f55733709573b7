import { ConcurrencyError } from '../errors/store-errors.js';

/**
 * Runs `command` again when it loses a race (`ConcurrencyError`): each attempt re-reads
 * the records, so the retry sees the winner's changes and the lifecycle rules apply to
 * them. Any other error, or the last conflict, is thrown. Opt-in: a retried command may
 * now be refused for a reason the first attempt did not have.
 *
 * @example
 * ```ts
 * import { withRetry, type CapaRegister } from 'capa-kit/register';
 *
 * declare const register: CapaRegister;
 * await withRetry(() =>
 *   register.comment({ actor: { id: 'u-1', name: 'Ada', roles: [] }, findingId: 'f-1', text: 'Checked' }),
 * );
 * ```
 */
export async function withRetry<T>(command: () => Promise<T>, options: { attempts?: number } = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be a positive integer, not ${attempts}`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await command();
    } catch (error) {
      if (!(error instanceof ConcurrencyError) || attempt >= attempts) throw error;
    }
  }
}
