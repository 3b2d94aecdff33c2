import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { deterministicZip } from '../../src/package/zip';

const enc = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

/** Reads the central directory the way an unzip tool does. */
function centralEntries(zip: Buffer) {
  const eocd = zip.length - 22;
  expect(zip.readUInt32LE(eocd)).toBe(0x06054b50);
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    out.push({
      madeBy: zip.readUInt16LE(p + 4),
      time: zip.readUInt16LE(p + 12),
      date: zip.readUInt16LE(p + 14),
      extraLen,
      localExtraLen: zip.readUInt16LE(localOffset + 28),
      mode: zip.readUInt32LE(p + 38) >>> 16,
      name: zip.subarray(p + 46, p + 46 + nameLen).toString('utf8'),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('deterministicZip', () => {
  it('GIVEN an archive WHEN the zipfile module of Python tests it THEN every CRC-32 and size checks out, deflated and stored entries alike', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cachestack-zip-'));
    try {
      const file = join(dir, 'a.zip');
      writeFileSync(file, deterministicZip([{ name: 'index.js', data: enc('exports.a = 1;\n'.repeat(40)) }, { name: 'lib/ü.txt', data: enc('x') }]));
      const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(z.testzip(), [(i.filename, i.compress_type) for i in z.infolist()])';
      expect(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }).trim()).toBe("None [('index.js', 8), ('lib/ü.txt', 0)]");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN the same files in a different order WHEN zipped THEN the bytes are identical and entries are sorted', () => {
    const a = deterministicZip([
      { name: 'index.js', data: enc('exports.handler = async () => 1;\n'.repeat(20)) },
      { name: 'index.js.map', data: enc('{"version":3}') },
    ]);
    const b = deterministicZip([
      { name: 'index.js.map', data: enc('{"version":3}') },
      { name: 'index.js', data: enc('exports.handler = async () => 1;\n'.repeat(20)) },
    ]);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(centralEntries(a).map((e) => e.name)).toEqual(['index.js', 'index.js.map']);
  });

  it('GIVEN an archive WHEN read back THEN contents round-trip and every entry has the fixed time, mode 0644 and no extra fields', () => {
    const body = 'module.exports.handler = async (e) => e;\n'.repeat(50);
    const zip = deterministicZip([{ name: 'index.js', data: enc(body) }, { name: 'x', data: enc('') }]);
    const files = unzipSync(new Uint8Array(zip));
    expect(Buffer.from(files['index.js']).toString('utf8')).toBe(body);
    expect(files['x'].length).toBe(0);
    for (const e of centralEntries(zip)) {
      expect(e.time).toBe(0); // 00:00:00
      expect(e.date).toBe(0x21); // 1980-01-01
      expect(e.mode).toBe(0o100644);
      expect(e.madeBy >> 8).toBe(3); // unix, so unzip applies the mode
      expect(e.extraLen).toBe(0);
      expect(e.localExtraLen).toBe(0);
    }
  });

  it('GIVEN a fixed input WHEN zipped THEN the bytes match the pinned digest (a changed digest means every source_code_hash changes)', () => {
    const zip = deterministicZip([{ name: 'index.js', data: enc('"use strict";exports.handler=async()=>({statusCode:200});\n'.repeat(8)) }]);
    expect(createHash('sha256').update(zip).digest('hex')).toBe('e9b302ab031cdaec46272cf515d26a4820f49199a6c00708ebbad24b9b5eb1d7');
  });

  it('GIVEN different content WHEN zipped THEN the bytes differ', () => {
    const a = deterministicZip([{ name: 'index.js', data: enc('a') }]);
    const b = deterministicZip([{ name: 'index.js', data: enc('b') }]);
    expect(Buffer.compare(a, b)).not.toBe(0);
  });

  it.each([['../evil.js'], ['/abs.js'], ['a\\b.js'], ['']])('GIVEN the entry name %j WHEN zipped THEN it is refused', (name) => {
    expect(() => deterministicZip([{ name, data: enc('x') }])).toThrow(/is not a relative path/);
  });

  it('GIVEN an entry named by a bare number WHEN zipped THEN it is refused (it could not keep its sorted place)', () => {
    expect(() => deterministicZip([{ name: '10', data: enc('a') }, { name: '9', data: enc('b') }])).toThrow(/is a bare number/);
  });

  it('GIVEN two entries with one name WHEN zipped THEN it is refused', () => {
    expect(() => deterministicZip([{ name: 'index.js', data: enc('a') }, { name: 'index.js', data: enc('b') }])).toThrow(/appears twice/);
  });
});
