// Reads the entries of a ZIP archive (xlsx and ods files are ZIPs) with node:zlib, so the
// LibreOffice test needs no unzip tool and no dependency: the end-of-central-directory
// record gives the central directory, each entry of it the local header and the data,
// stored (method 0) or deflated (method 8). No ZIP64, no encryption: LibreOffice writes
// neither for a small sheet.
import { inflateRawSync } from 'node:zlib';

/** The entries of a ZIP archive, by name, decompressed. */
export function unzip(archive: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let end = archive.length - 22;
  while (end >= 0 && archive.readUInt32LE(end) !== 0x06054b50) end -= 1;
  if (end < 0) throw new Error('Not a ZIP archive: no end-of-central-directory record');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  for (let i = 0; i < count; i += 1) {
    if (archive.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad ZIP central directory entry at ${at}`);
    const method = archive.readUInt16LE(at + 10);
    const compressed = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const local = archive.readUInt32LE(at + 42);
    const name = archive.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + archive.readUInt16LE(local + 26) + archive.readUInt16LE(local + 28);
    const data = archive.subarray(dataStart, dataStart + compressed);
    if (method === 0) entries.set(name, Buffer.from(data));
    else if (method === 8) entries.set(name, inflateRawSync(data));
    else throw new Error(`ZIP entry ${name}: compression method ${method} not supported`);
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
