import { canonicalJson } from './canonical.js';
import { createSha256, hashJson, hashJsonWithout } from './hash.js';

/**
 * The tenant's log head, as `CapaRegister.logHead()` reports it: the SHA-256 of the RFC 8785
 * canonical JSON of `{ tenantId, tenantSequence, tips }`, where `tips` holds one
 * `[recordId, sequence, contentHash]` per record (its last entry at `tenantSequence`, the
 * hash recomputed from the entry's content), sorted by record id (UTF-16 code units).
 *
 * This hasher streams the same bytes: give it the tips in ascending record-id order and it
 * never holds more than one of them, so a log of any size is hashed in constant memory.
 * Out-of-order tips are refused with a `RangeError` (the result would not be the head).
 */
export class LogHeadHasher {
  readonly tenantId: string;
  readonly tenantSequence: number;
  private readonly hash = createSha256();
  private buffer: string;
  private previous: string | null = null;
  private count = 0;

  constructor(tenantId: string, tenantSequence: number) {
    this.tenantId = tenantId;
    this.tenantSequence = tenantSequence;
    // Canonical key order: tenantId < tenantSequence < tips.
    this.buffer = `{"tenantId":${canonicalJson(tenantId)},"tenantSequence":${canonicalJson(tenantSequence)},"tips":[`;
  }

  /** Adds a record's tip. Record ids must come in strictly ascending order. */
  tip(recordId: string, sequence: number, contentHash: string): void {
    if (this.previous !== null && !(this.previous < recordId)) {
      throw new RangeError(`Log head tips must come in ascending record id order: ${recordId} after ${this.previous}`);
    }
    this.previous = recordId;
    this.buffer += `${this.count === 0 ? '' : ','}${canonicalJson([recordId, sequence, contentHash])}`;
    this.count += 1;
    // Hand the text over in pieces of about 64 KiB: fewer calls into the hash, little memory.
    if (this.buffer.length >= 65_536) {
      this.hash.update(this.buffer);
      this.buffer = '';
    }
  }

  /** How many tips were added. */
  get tips(): number {
    return this.count;
  }

  /** The head; call once, after the last tip. */
  digest(): { readonly tenantSequence: number; readonly hash: string } {
    this.hash.update(`${this.buffer}]}`);
    this.buffer = '';
    return { tenantSequence: this.tenantSequence, hash: this.hash.digest() };
  }
}

/**
 * An entry's hash recomputed from its content (everything but `hash`), never the hash it
 * claims: an edit that leaves the `hash` field alone still moves the head.
 */
export function contentHash(entry: unknown): string {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return hashJson(entry);
  return hashJsonWithout(entry, 'hash');
}
