// Byte helpers for notes, keys and proofs: strict base64 (RFC 4648 §4, padded, canonical),
// lowercase hex, UTF-8, big-endian integers. Portable (atob/btoa, TextEncoder), no Buffer.

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 bytes of a string. Callers check well-formedness first where it matters (a lone surrogate becomes U+FFFD). */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Decodes UTF-8, or returns `null` for bytes that are not well-formed UTF-8. */
export function fromUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** True when a string has no lone surrogate, so its UTF-8 encoding is exact. */
export function isWellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Standard base64 with padding (RFC 4648 §4). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes standard, padded base64, or returns `null`. Strict: no whitespace, no missing
 * padding, and only the canonical encoding (unused bits zero), so each byte string has
 * exactly one text form.
 */
export function fromBase64(text: string): Uint8Array | null {
  if (!BASE64.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return toBase64(bytes) === text ? bytes : null;
}

/** Base64url without padding (JWK's `x` and `d`) to bytes, or `null`. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replaceAll('-', '+').replaceAll('_', '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return fromBase64(padded);
}

const HEX = '0123456789abcdef';

/** Lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte >> 4]! + HEX[byte & 15]!;
  return out;
}

// Hex digit values by character code; -1 for anything else (uppercase included).
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_VALUE[HEX.charCodeAt(i)] = i;

/** Lowercase hex into `target` at `offset`; false (with `target` partly written) for anything that is not lowercase hex. */
export function writeHex(target: Uint8Array, offset: number, text: string): boolean {
  if (text.length % 2 !== 0 || offset + text.length / 2 > target.length) return false;
  for (let i = 0; i < text.length; i += 2) {
    const high = HEX_VALUE[text.charCodeAt(i)] ?? -1;
    const low = HEX_VALUE[text.charCodeAt(i + 1)] ?? -1;
    if (high < 0 || low < 0) return false;
    target[offset + i / 2] = (high << 4) | low;
  }
  return true;
}

/** Lowercase hex to bytes, or `null` (uppercase, odd length and other characters are refused). */
export function fromHex(text: string): Uint8Array | null {
  if (text.length % 2 !== 0) return null;
  const bytes = new Uint8Array(text.length / 2);
  return writeHex(bytes, 0, text) ? bytes : null;
}

/** Byte-for-byte equality. (Every value compared here is public: no constant time needed.) */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The concatenation of byte strings. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Writes a non-negative safe integer as 8 bytes big-endian at `offset`. */
export function writeUint64(target: Uint8Array, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${value} is not a non-negative safe integer`);
  writeUint32(target, offset, Math.floor(value / 0x1_0000_0000));
  writeUint32(target, offset + 4, value % 0x1_0000_0000);
}

/** Reads a big-endian unsigned 32-bit integer. */
export const readUint32 = (bytes: Uint8Array, offset: number): number =>
  ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;

/** Writes a big-endian unsigned 32-bit integer. */
export function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}

/** A 32-bit key ID as 8 lowercase hex digits. */
export const keyIdHex = (keyId: number): string => (keyId >>> 0).toString(16).padStart(8, '0');

/** A canonical decimal of a non-negative safe integer (no sign, no leading zero), or `null`. */
export function parseDecimal(text: string): number | null {
  if (!/^(?:0|[1-9][0-9]*)$/.test(text)) return null;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : null;
}
