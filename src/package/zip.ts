/**
 * A zip writer whose bytes depend only on the files' names and contents.
 *
 * Terraform compares `source_code_hash` (the SHA-256 of the zip) to decide whether
 * a Lambda function's code changed, so the zip of an unchanged bundle must be the
 * same bytes on every machine and every run. What makes ordinary zips vary, and
 * what this writer does instead:
 * - entry order: entries are sorted by name (UTF-16 code unit order);
 * - timestamps: every entry gets 1980-01-01 00:00, the earliest DOS time, and
 *   no extended-timestamp (UT) or Unix (ux) extra fields are written;
 * - permissions: every file is a regular file with mode 0644 (Unix "made by");
 * - compression: node:zlib's deflate output differs between Node releases and
 *   between CPUs (the Chromium zlib fork hashes with CRC32 instructions where the
 *   CPU has them), so the raw deflate stream comes from fflate, which is plain
 *   JavaScript: same input and same fflate version, same bytes. An entry that
 *   deflate would not shrink is stored.
 * No directory entries, comments, data descriptors or zip64 records are written.
 */
import { deflateSync } from 'fflate';

export interface ZipFile {
  /** Path inside the archive, `/` separators, no leading `/`. */
  name: string;
  data: Uint8Array;
}

/** 1980-01-01 00:00:00 as MS-DOS date and time. */
const DOS_DATE = ((1980 - 1980) << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** Regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
/** Version made by: Unix (3) in the high byte, zip spec 2.0 in the low byte. */
const MADE_BY = (3 << 8) | 20;
const NEEDED = 20;
/** General purpose flag bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
/** A fixed level: the level is part of what the bytes depend on. */
const DEFLATE_LEVEL = 9;
const MAX_UINT32 = 0xffffffff;

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3), as the zip format requires. */
export function crc32(data: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = crcTable[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`zip entry name ${JSON.stringify(name)} is not a relative path with '/' separators`);
  }
}

/** Builds the archive in memory. Throws on duplicate or malformed names and on entries of 4 GiB or more. */
export function deterministicZip(files: readonly ZipFile[]): Buffer {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 0; i < sorted.length; i++) {
    checkName(sorted[i].name);
    if (i > 0 && sorted[i].name === sorted[i - 1].name) throw new Error(`zip entry ${JSON.stringify(sorted[i].name)} appears twice`);
  }

  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const file of sorted) {
    const name = Buffer.from(file.name, 'utf8');
    const asciiOnly = name.length === file.name.length;
    const flags = asciiOnly ? 0 : FLAG_UTF8;
    if (file.data.length >= MAX_UINT32) throw new Error(`zip entry ${file.name} is too large (${file.data.length} bytes)`);
    const deflated = deflateSync(file.data, { level: DEFLATE_LEVEL });
    const useDeflate = deflated.length < file.data.length;
    const body = useDeflate ? deflated : file.data;
    const method = useDeflate ? METHOD_DEFLATE : METHOD_STORE;
    const crc = crc32(file.data);

    // "Version needed" through "extra field length": the same fields in the same
    // order in the local header (from byte 4) and the central directory entry (from byte 6).
    const common = Buffer.alloc(26);
    common.writeUInt16LE(NEEDED, 0);
    common.writeUInt16LE(flags, 2);
    common.writeUInt16LE(method, 4);
    common.writeUInt16LE(DOS_TIME, 6);
    common.writeUInt16LE(DOS_DATE, 8);
    common.writeUInt32LE(crc, 10);
    common.writeUInt32LE(body.length, 14);
    common.writeUInt32LE(file.data.length, 18);
    common.writeUInt16LE(name.length, 22);
    common.writeUInt16LE(0, 24); // no extra fields

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common.copy(local, 4);
    chunks.push(local, name, Buffer.from(body.buffer, body.byteOffset, body.byteLength));

    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(MADE_BY, 4);
    common.copy(entry, 6);
    entry.writeUInt16LE(0, 32); // comment length
    entry.writeUInt16LE(0, 34); // disk number start
    entry.writeUInt16LE(0, 36); // internal attributes
    entry.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
    entry.writeUInt32LE(offset, 42);
    central.push(entry, name);

    offset += local.length + name.length + body.length;
    if (offset >= MAX_UINT32) throw new Error('zip archive would exceed 4 GiB');
  }

  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...chunks, ...central, end]);
}
