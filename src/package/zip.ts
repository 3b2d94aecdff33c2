/**
 * Zips whose bytes depend only on the files' names and contents, written by
 * fflate's `zipSync`.
 *
 * Terraform compares `source_code_hash` (the SHA-256 of the zip) to decide whether
 * a Lambda function's code changed, so the zip of an unchanged bundle must be the
 * same bytes on every machine and every run. What makes ordinary zips vary, and
 * what is fixed here:
 * - entry order: entries are sorted by name (UTF-16 code unit order);
 * - timestamps: every entry gets 1980-01-01 00:00, the earliest DOS time (given
 *   in local time, which is what fflate converts to DOS time), and no extra fields;
 * - permissions: every file is a regular file with mode 0644 ("made by" Unix);
 * - compression: node:zlib's deflate output differs between Node releases and
 *   between CPUs, so deflate is fflate's, plain JavaScript, at a fixed level:
 *   same input and same fflate version, same bytes. An entry that deflate would
 *   not shrink is stored.
 * No directory entries, comments, data descriptors or zip64 records are written.
 */
import { deflateSync, zipSync, type ZippableFile, type Zippable } from 'fflate';

export interface ZipFile {
  /** Path inside the archive, `/` separators, no leading `/`. */
  name: string;
  data: Uint8Array;
}

/** 1980-01-01 00:00:00 in local time: fflate writes the local date and time fields as DOS time. */
const DOS_EPOCH = new Date(1980, 0, 1, 0, 0, 0);
/** Regular file, rw-r--r--, in the high 16 bits of the external attributes. */
const EXTERNAL_ATTRIBUTES = (0o100644 << 16) >>> 0;
/** "Version made by" high byte: Unix, so unzip applies the mode. */
const OS_UNIX = 3;
/** A fixed level: the level is part of what the bytes depend on. */
const DEFLATE_LEVEL = 9;
const MAX_UINT32 = 0xffffffff;

function checkName(name: string): void {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`zip entry name ${JSON.stringify(name)} is not a relative path with '/' separators`);
  }
  // fflate takes the entries as an object, whose integer-like keys JavaScript
  // orders before all others: such a name would break the sorted order.
  if (/^(0|[1-9]\d*)$/.test(name)) throw new Error(`zip entry name ${JSON.stringify(name)} is a bare number, which cannot keep its place in the sorted order`);
}

/** Builds the archive in memory. Throws on duplicate or malformed names and on entries of 4 GiB or more. */
export function deterministicZip(files: readonly ZipFile[]): Buffer {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const entries: Zippable = {};
  for (let i = 0; i < sorted.length; i++) {
    const file = sorted[i];
    checkName(file.name);
    if (i > 0 && file.name === sorted[i - 1].name) throw new Error(`zip entry ${JSON.stringify(file.name)} appears twice`);
    if (file.data.length >= MAX_UINT32) throw new Error(`zip entry ${file.name} is too large (${file.data.length} bytes)`);
    const shrinks = file.data.length > 0 && deflateSync(file.data, { level: DEFLATE_LEVEL }).length < file.data.length;
    const entry: ZippableFile = [file.data, { level: shrinks ? DEFLATE_LEVEL : 0, mtime: DOS_EPOCH, os: OS_UNIX, attrs: EXTERNAL_ATTRIBUTES }];
    entries[file.name] = entry;
  }
  const zip = zipSync(entries);
  if (zip.length >= MAX_UINT32) throw new Error('zip archive would exceed 4 GiB');
  return Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
}
