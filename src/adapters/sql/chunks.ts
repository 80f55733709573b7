/** Rows per multi-row INSERT, and values per IN list: well under every database's parameter limit. */
export const CHUNK_SIZE = 200;

/** Splits a list into lists of at most `size`. */
export function chunks<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
