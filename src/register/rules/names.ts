// How messages name records. One place, so that when corrective actions get references
// of their own (CA-2026-0001), every message that names an action changes here.

/** How a message names a corrective action: by its id, for now. */
export function nameOfAction(action: { readonly id: string }): string {
  return action.id;
}

/** Names in a sentence: `a`, `a and b`, `a, b and c`. */
export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
