import type { StoredRecord } from './contract.js';

// The page cursor every shipped store hands out: the position (`raisedAt`, `id`) of a
// page's last record, as base64 of UTF-8 JSON. Opaque to callers; the SQL stores read the
// same position back into a keyset condition.

/** A position in the stable order: the `raisedAt` and `id` of the last record of a page. */
export type CursorPosition = readonly [raisedAt: string, id: string];

/** Encodes the position of a record as an opaque cursor. */
export function encodeCursor(record: StoredRecord): string {
  // UTF-8 first: btoa takes Latin-1 only, and ids may hold any character.
  const bytes = new TextEncoder().encode(JSON.stringify([record.index.raisedAt, record.id]));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes a cursor; a malformed one is refused with a `RangeError` rather than read as the start. */
export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined) return null;
  try {
    const binary = atob(cursor);
    const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
    const value: unknown = JSON.parse(decoder.decode(bytes));
    if (Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string')) {
      return [value[0] as string, value[1] as string];
    }
  } catch {
    // fall through
  }
  throw new RangeError(`Malformed page cursor: ${cursor}`);
}

/** Refuses a page limit outside 1 to 1000 with a `RangeError`, as the contract says. */
export function checkPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new RangeError(`Page limit must be 1 to 1000, not ${limit}`);
  }
}
