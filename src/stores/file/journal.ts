import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import type { CommitBatch, RecordKind } from '../../store/contract.js';

// The journal's format and codec: pure byte work, no state and no writes.
//
// A journal is a text file, one line per entry, after a one-line file header:
//
//   capa-kit journal 1\n
//   <length> <checksum> <payload>\n
//   <length> <checksum> <payload>\n
//   ...
//
// `payload` is one JSON object (JSON.stringify never emits a raw newline, so an entry is
// exactly one line); `length` is its size in bytes, in decimal; `checksum` is the first 16
// hex digits (64 bits) of the SHA-256 of the payload bytes. The checksum detects accidental
// damage (torn writes, bit rot, a bad copy); tamper evidence is the register's hash chain,
// not the journal's.
//
// Entry payloads carry their number `n` (1, 2, 3, ... in file order), so a lost or repeated
// line is caught too:
//   {"n":7,"type":"commit","tenantSequence":42,"batch":{...CommitBatch}}
//   {"n":8,"type":"reference","tenantId":"acme","kind":"action","reference":3}
//
// A reference entry without `kind` was written for storage contract 1, when findings alone
// had references: it numbers a finding. A commit's records written then have no
// `index.reference`: replay takes it from the record's document (see store.ts).

/** The first line of every journal: the format and its version. */
export const JOURNAL_HEADER = 'capa-kit journal 1\n';
export const JOURNAL_HEADER_BYTES = Buffer.from(JOURNAL_HEADER, 'utf8');

const NEWLINE = 0x0a;
const SPACE = 0x20;
const CHECKSUM_HEX = 16;
/** Longest header: 10 length digits, a space, 16 hex digits, a space. */
const MAX_FRAME_HEADER = 28;
/** How much is read at a time while replaying. */
const CHUNK = 1 << 20;

/** A commit: the whole batch, and the tenant sequence its last event got. */
export interface CommitEntry {
  readonly n: number;
  readonly type: 'commit';
  readonly tenantSequence: number;
  readonly batch: CommitBatch;
}

/** A reference handed out by `nextReference`: made durable before it is returned. */
export interface ReferenceEntry {
  readonly n: number;
  readonly type: 'reference';
  readonly tenantId: string;
  /** The kind it numbers; absent (a finding) in entries written for storage contract 1. */
  readonly kind?: RecordKind;
  readonly reference: number;
}

export type JournalEntry = CommitEntry | ReferenceEntry;

function checksum(payload: Uint8Array): string {
  return createHash('sha256').update(payload).digest('hex').slice(0, CHECKSUM_HEX);
}

/** One journal line for a payload (a JSON text without raw newlines). */
export function encodeFrame(payloadJson: string): Buffer {
  const payload = Buffer.from(payloadJson, 'utf8');
  const header = Buffer.from(`${payload.length} ${checksum(payload)} `, 'latin1');
  return Buffer.concat([header, payload, Buffer.of(NEWLINE)], header.length + payload.length + 1);
}

/** The journal line of a commit. `batchJson` is `JSON.stringify(batch)`, passed in so the caller can reuse it. */
export function encodeCommit(n: number, tenantSequence: number, batchJson: string): Buffer {
  return encodeFrame(`{"n":${n},"type":"commit","tenantSequence":${tenantSequence},"batch":${batchJson}}`);
}

/** The journal line of a reference. */
export function encodeReference(n: number, tenantId: string, kind: RecordKind, reference: number): Buffer {
  return encodeFrame(JSON.stringify({ n, type: 'reference', tenantId, kind, reference }));
}

/** Why a frame could not be read. */
interface FrameProblem {
  readonly problem: string;
}

/** Reads a file front to back in chunks, so a journal of any size replays in bounded memory. */
export class ChunkedReader {
  private buffer: Buffer = Buffer.alloc(0);
  private bufferStart = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** Bytes [offset, offset + length), cut short at the end of the file. */
  bytes(offset: number, length: number): Buffer {
    const end = Math.min(offset + length, this.size);
    if (offset >= this.bufferStart && end <= this.bufferStart + this.buffer.length) {
      return this.buffer.subarray(offset - this.bufferStart, end - this.bufferStart);
    }
    const want = Math.min(Math.max(length, CHUNK), this.size - offset);
    const buffer = Buffer.allocUnsafe(Math.max(want, 0));
    let filled = 0;
    while (filled < want) {
      const read = readSync(this.fd, buffer, filled, want - filled, offset + filled);
      if (read === 0) break;
      filled += read;
    }
    this.buffer = buffer.subarray(0, filled);
    this.bufferStart = offset;
    return this.buffer.subarray(0, Math.min(end - offset, filled));
  }

  /** True when a newline occurs anywhere in [offset, end of file). */
  hasNewlineFrom(offset: number): boolean {
    for (let at = offset; at < this.size; at += CHUNK) {
      if (this.bytes(at, CHUNK).includes(NEWLINE)) return true;
    }
    return false;
  }
}

/**
 * Reads the frame at `offset`: its payload bytes and where the next frame starts, or what
 * is wrong with it.
 */
export function readFrame(reader: ChunkedReader, offset: number): { payload: Buffer; next: number } | FrameProblem {
  const head = reader.bytes(offset, MAX_FRAME_HEADER);
  const firstSpace = head.indexOf(SPACE);
  if (firstSpace === -1) {
    return head.length < MAX_FRAME_HEADER && !head.includes(NEWLINE)
      ? { problem: 'the entry header is cut short' }
      : { problem: 'the entry header is malformed' };
  }
  const lengthText = head.subarray(0, firstSpace).toString('latin1');
  if (!/^(0|[1-9][0-9]{0,9})$/.test(lengthText)) return { problem: 'the entry length is malformed' };
  const sumStart = firstSpace + 1;
  const sumEnd = sumStart + CHECKSUM_HEX;
  if (head.length < sumEnd + 1) {
    return head.includes(NEWLINE)
      ? { problem: 'the entry header is malformed' }
      : { problem: 'the entry header is cut short' };
  }
  const sumText = head.subarray(sumStart, sumEnd).toString('latin1');
  if (!/^[0-9a-f]{16}$/.test(sumText) || head[sumEnd] !== SPACE) return { problem: 'the entry checksum field is malformed' };
  const length = Number(lengthText);
  const payloadStart = offset + sumEnd + 1;
  const next = payloadStart + length + 1;
  if (next > reader.size) {
    return { problem: `the entry needs ${length} payload bytes but the file ends at byte ${reader.size}` };
  }
  const framed = reader.bytes(payloadStart, length + 1);
  if (framed[length] !== NEWLINE) return { problem: 'the entry does not end where its length says' };
  const payload = framed.subarray(0, length);
  if (checksum(payload) !== sumText) return { problem: 'checksum mismatch' };
  return { payload: Buffer.from(payload), next };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Decodes a payload whose checksum matched; throws a plain Error saying what is wrong. */
export function decodeEntry(payload: Buffer): JournalEntry {
  let value: unknown;
  try {
    value = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new Error('the payload is not JSON');
  }
  if (!isObject(value) || !isCount(value.n)) throw new Error('the payload has no entry number');
  if (value.type === 'reference') {
    const kindOk = value.kind === undefined || value.kind === 'finding' || value.kind === 'action';
    if (typeof value.tenantId !== 'string' || !isCount(value.reference) || !kindOk) throw new Error('the reference entry is malformed');
    return value as unknown as ReferenceEntry;
  }
  if (value.type === 'commit') {
    const batch = value.batch;
    const wellFormed =
      isCount(value.tenantSequence) &&
      isObject(batch) &&
      typeof batch.tenantId === 'string' &&
      Array.isArray(batch.writes) &&
      batch.writes.every(
        (write: unknown) =>
          isObject(write) &&
          isObject(write.record) &&
          typeof write.record.id === 'string' &&
          isCount(write.expectedVersion) &&
          Array.isArray(write.events),
      ) &&
      (batch.idempotency === undefined || (isObject(batch.idempotency) && typeof batch.idempotency.key === 'string'));
    if (!wellFormed) throw new Error('the commit entry is malformed');
    return value as unknown as CommitEntry;
  }
  throw new Error(`unknown entry type ${JSON.stringify(value.type)}`);
}
