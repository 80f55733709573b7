import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';

/**
 * The RFC 8785 (JSON Canonicalization Scheme) form of a JSON value: the bytes every
 * implementation in every language agrees on, so a script elsewhere can recompute our
 * hashes. Uses `canonicalize`, by one of the RFC's authors.
 *
 * @example
 * ```ts
 * import { canonicalJson } from 'capa-kit/register';
 *
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('Only JSON values can be canonicalized');
  return text;
}

/**
 * The lowercase hex SHA-256 of a JSON value's RFC 8785 canonical form.
 *
 * @example
 * ```ts
 * import { hashJson } from 'capa-kit/register';
 *
 * hashJson({ a: 1 }) === hashJson({ a: 1 }); // true, whatever the key order
 * ```
 */
export function hashJson(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value))));
}
