// No zod here: the lifecycle machine names actions too, and its bundle carries no schemas.

/**
 * How a message, an export or a report names a corrective action: by its reference
 * (`CA-2026-0001`); only an action planned before actions had references, which has none,
 * by its id.
 */
export const actionName = (action: { readonly id: string; readonly reference?: string | undefined }): string => action.reference ?? action.id;
