/**
 * File hygiene and YAML parsing: the cases that cannot be fixture files (too large,
 * unreadable, generated bombs and nesting) and the edges of the ones that can.
 */
import { lineCounterOf, positionOf } from '../../src/config/diagnostics';
import { decodeSource, firstInvalidUtf8Byte, MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_NESTING_DEPTH, parseSource } from '../../src/config/parse';
import { MINIMAL, only, places, TempDir, where } from './helpers';

function pos(text: string, offset: number): string {
  const p = positionOf(lineCounterOf(text), offset);
  return `${p.line}:${p.column}`;
}

/** Each level repeats the one before nine times: 9^levels strings when expanded. */
function aliasBomb(levels: number): string {
  const names = 'abcdefghijklmnop';
  let text = `${MINIMAL}tags:\n  a: &a [${Array(9).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i < levels; i++) text += `  ${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(', ')}]\n`;
  return text;
}

let tmp: TempDir;
beforeEach(() => {
  tmp = new TempDir();
});
afterEach(() => tmp.remove());

describe('file-too-large', () => {
  it('GIVEN a file one byte over the limit (4 MiB) WHEN loaded THEN file-too-large at 1:1 and nothing else', () => {
    const big = `${MINIMAL}# ${'x'.repeat(MAX_FILE_BYTES)}\n`.slice(0, MAX_FILE_BYTES + 1);
    const r = tmp.load([tmp.write('big.yaml', big)]);
    expect(places(r)).toEqual(['file-too-large 1:1']);
    expect(r.diagnostics[0].message).toBe('the file is 4 MiB; a config file may hold at most 4 MiB');
    expect(r.models).toEqual([]);
  });

  it('GIVEN a file of exactly 4 MiB WHEN loaded THEN it is parsed (no file-too-large)', () => {
    const padded = `${MINIMAL}#`.padEnd(MAX_FILE_BYTES - 1, 'x') + '\n';
    expect(Buffer.byteLength(padded)).toBe(MAX_FILE_BYTES);
    const r = tmp.load([tmp.write('edge.yaml', padded)]);
    expect(places(r)).toEqual([]);
    expect(r.models).toHaveLength(1);
  });

  it('GIVEN bytes over the limit WHEN decoded THEN the text is not decoded at all', () => {
    const result = decodeSource(new Uint8Array(MAX_FILE_BYTES + 10), 'x.yaml');
    expect(result.ok).toBe(false);
    expect(result.text).toBe('');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
  });
});

describe('file-not-utf8', () => {
  it.each([
    ['a lone continuation byte', [0x80], 0],
    ['a Latin-1 e-acute', [0x63, 0x61, 0x66, 0xe9], 3],
    ['an overlong encoding of "/"', [0xc0, 0xaf], 0],
    ['a UTF-16 surrogate encoded in UTF-8', [0x61, 0xed, 0xa0, 0x80], 1],
    ['a sequence cut short at the end', [0x61, 0xe2, 0x82], 1],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
  ])('GIVEN %s WHEN checked THEN the first bad byte is found', (_name, bytes, at) => {
    expect(firstInvalidUtf8Byte(Uint8Array.from(bytes))).toBe(at);
  });

  it('GIVEN valid multi-byte text WHEN checked THEN no byte is bad', () => {
    expect(firstInvalidUtf8Byte(Buffer.from('café → 𝄞 ✓'))).toBe(-1);
  });

  it('GIVEN a bad byte after multi-byte characters WHEN loaded THEN the column counts characters, not bytes', () => {
    const bytes = Buffer.concat([Buffer.from(`${MINIMAL}tags: { team: "é→`), Buffer.from([0xff]), Buffer.from('" }\n')]);
    const r = tmp.load([tmp.write('latin.yaml', bytes)]);
    expect(places(r)).toEqual(['file-not-utf8 4:18']);
    expect(r.diagnostics[0].message).toBe(`byte 0xFF at byte offset ${Buffer.byteLength(`${MINIMAL}tags: { team: "é→`)} is not valid UTF-8`);
    expect(r.diagnostics[0].hint).toBe('save the file as UTF-8');
  });

  it('GIVEN a UTF-8 byte-order mark WHEN loaded THEN it is accepted and offsets start after it', () => {
    const r = tmp.load([tmp.write('bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${MINIMAL}bogus: 1\n`)]))]);
    expect(places(r)).toEqual(['schema-unknown-key 4:1']);
  });
});

describe('file-unreadable', () => {
  it('GIVEN a path that does not exist WHEN loaded THEN file-unreadable at 1:1 naming the reason', () => {
    const r = tmp.load(['missing.yaml']);
    expect(places(r)).toEqual(['file-unreadable 1:1']);
    expect(r.diagnostics[0].message).toBe('cannot read the file: no such file');
    expect(r.sources.get('missing.yaml')).toBe('');
    expect(r.files).toEqual([{ file: 'missing.yaml', environments: [], models: [], errors: 1, warnings: 0 }]);
  });

  it('GIVEN a directory named like a config file WHEN loaded THEN file-unreadable says it is a directory', () => {
    tmp.write('dir.yaml/inner.txt', 'x');
    const r = tmp.load(['dir.yaml']);
    expect(places(r)).toEqual(['file-unreadable 1:1']);
    expect(r.diagnostics[0].message).toBe('cannot read the file: it is a directory, not a file');
  });

  it('GIVEN a readable file WHEN loaded THEN no file-unreadable', () => {
    expect(places(tmp.load([tmp.write('ok.yaml', MINIMAL)]))).toEqual([]);
  });
});

describe('file-empty', () => {
  it.each([
    ['nothing at all', ''],
    ['only blank lines', '\n\n  \n'],
    ['only comments', '# one\n  # two\n'],
    ['a document marker and a comment', '---\n# nothing\n'],
  ])('GIVEN %s WHEN parsed THEN file-empty at 1:1', (_name, text) => {
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.code} ${pos(text, d.location.start)}`)).toEqual(['file-empty 1:1']);
    expect(r.hasValue).toBe(false);
  });

  it('GIVEN an explicit null document WHEN loaded THEN it is a schema-type error, not file-empty', () => {
    const r = tmp.load([tmp.write('null.yaml', '~\n')]);
    expect(places(r)).toEqual(['schema-type 1:1']);
    expect(r.diagnostics[0].message).toBe('the document must be an object (a mapping of keys); received an empty value');
  });
});

describe('yaml-syntax', () => {
  it('GIVEN several syntax errors WHEN parsed THEN only the first is reported, at its offset', () => {
    const text = `${MINIMAL}tags: { team: [a, b }\nhandlers:\n\tx: 1\n`;
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.code} ${pos(text, d.location.start)}`)).toEqual(['yaml-syntax 4:21']);
    expect(r.hasValue).toBe(false);
  });

  it('GIVEN an alias of an anchor that does not exist WHEN loaded THEN yaml-syntax at the alias', () => {
    const r = tmp.load([tmp.write('alias.yaml', `${MINIMAL}tags: { team: *nobody }\n`)]);
    expect(places(r)).toEqual(['yaml-syntax 4:15']);
    expect(r.diagnostics[0].message).toBe('unresolved alias (the anchor must be set before the alias): nobody');
  });

  it(`GIVEN flow collections nested ${MAX_NESTING_DEPTH + 1} deep WHEN parsed THEN yaml-syntax at the level that is too deep`, () => {
    const text = `${MINIMAL}tags: ${'['.repeat(MAX_NESTING_DEPTH + 1)}${']'.repeat(MAX_NESTING_DEPTH + 1)}\n`;
    const r = parseSource(text, 'f.yaml');
    // The root mapping is level 1, so the first `[` that is too deep is number 64.
    expect(r.diagnostics.map((d) => `${d.code} ${pos(text, d.location.start)}`)).toEqual([`yaml-syntax 4:${7 + MAX_NESTING_DEPTH - 1}`]);
    expect(r.diagnostics[0].message).toBe(`collections nest more than ${MAX_NESTING_DEPTH} levels deep here`);
  });

  it('GIVEN 20,000 nested flow sequences WHEN parsed THEN one diagnostic and no stack overflow', () => {
    const text = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['yaml-syntax']);
  });

  it('GIVEN block mappings nested 70 deep WHEN parsed THEN yaml-syntax on the line that is too deep', () => {
    const text = `${Array.from({ length: 70 }, (_, i) => `${' '.repeat(i)}a:`).join('\n')} 1\n`;
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.code} ${pos(text, d.location.start)}`)).toEqual([`yaml-syntax ${MAX_NESTING_DEPTH + 1}:${MAX_NESTING_DEPTH + 1}`]);
  });

  it('GIVEN nesting within the limit WHEN parsed THEN no diagnostic', () => {
    const text = `a: ${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}\n`;
    expect(parseSource(text, 'f.yaml').diagnostics).toEqual([]);
  });

  it('GIVEN a YAML 1.1 directive WHEN parsed THEN dates stay text (the core schema is always used)', () => {
    const r = parseSource('%YAML 1.1\n---\nexpires: 2030-01-01\n', 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({ expires: '2030-01-01' });
  });
});

describe('yaml-duplicate-key', () => {
  it('GIVEN a key written three times WHEN loaded THEN the second and third are reported, each related to the first', () => {
    const text = `${MINIMAL}handlers:\n  api:\n    entry: ok.ts\n    memoryMb: 256\n    memoryMb: 512\n    memoryMb: 1024\n`;
    const r = tmp.load([tmp.write('dup.yaml', text)]);
    expect(places(r)).toEqual(['yaml-duplicate-key 8:5', 'yaml-duplicate-key 9:5']);
    for (const d of r.diagnostics) {
      expect(d.path).toBe('handlers.api.memoryMb');
      expect(d.message).toBe('key `memoryMb` appears twice in the same mapping; YAML would keep only the last value');
      expect(d.related?.map((x) => where(r, x))).toEqual(['7:5']);
    }
  });

  it('GIVEN a duplicate key WHEN loaded THEN the rest of the file is still checked', () => {
    const r = tmp.load([tmp.write('dup.yaml', `${MINIMAL}tags: { a: x, a: y }\nbogus: 1\n`)]);
    expect(places(r)).toEqual(['yaml-duplicate-key 4:15', 'schema-unknown-key 5:1']);
  });
});

describe('yaml-alias-limit', () => {
  it('GIVEN a billion-laughs bomb WHEN loaded THEN yaml-alias-limit at the alias that crosses the limit', () => {
    const r = tmp.load([tmp.write('bomb.yaml', aliasBomb(10))]);
    expect(places(r)).toEqual(['yaml-alias-limit 8:10']);
    expect(r.diagnostics[0].message).toBe(`aliases expand to more than ${MAX_ALIAS_COUNT} copies of anchored content here`);
  });

  it(`GIVEN one scalar anchor used ${MAX_ALIAS_COUNT - 1} times WHEN parsed THEN it is accepted`, () => {
    const text = `a: &x 1\nb: [${Array(MAX_ALIAS_COUNT - 1).fill('*x').join(', ')}]\n`;
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics).toEqual([]);
    expect((r.value as { b: number[] }).b).toHaveLength(MAX_ALIAS_COUNT - 1);
  });

  it(`GIVEN one scalar anchor used ${MAX_ALIAS_COUNT} times WHEN parsed THEN the last alias is over the limit`, () => {
    const text = `a: &x 1\nb: [${Array(MAX_ALIAS_COUNT).fill('*x').join(', ')}]\n`;
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.code} ${pos(text, d.location.start)}`)).toEqual([`yaml-alias-limit 2:${5 + 4 * (MAX_ALIAS_COUNT - 1)}`]);
  });
});

describe('yaml-multiple-documents', () => {
  it('GIVEN two documents WHEN loaded THEN yaml-multiple-documents at the second, and the first is still checked', () => {
    const r = tmp.load([tmp.write('two.yaml', `${MINIMAL}bogus: 1\n---\nversion: 1\n`)]);
    expect(places(r)).toEqual(['schema-unknown-key 4:1', 'yaml-multiple-documents 5:1']);
    expect(only(r, 'yaml-multiple-documents').message).toBe('the file holds 2 YAML documents; a config file holds one service in one document');
  });

  it('GIVEN a trailing document marker with nothing after it WHEN loaded THEN it is not a second document', () => {
    expect(places(tmp.load([tmp.write('one.yaml', `${MINIMAL}---\n# the end\n`)]))).toEqual([]);
  });

  it('GIVEN a second document right after an end marker at the end of the file WHEN parsed THEN the range stays inside the text', () => {
    const text = 'a: 1\n...\nb';
    const r = parseSource(text, 'f.yaml');
    expect(r.diagnostics.map((d) => `${d.code} ${pos(text, d.location.start)}`)).toEqual(['yaml-multiple-documents 3:1']);
    expect(r.diagnostics[0].location.end).toBeLessThanOrEqual(text.length);
  });

  it('GIVEN one document between explicit markers WHEN loaded THEN no diagnostic', () => {
    expect(places(tmp.load([tmp.write('one.yaml', `---\n${MINIMAL}...\n`)]))).toEqual([]);
  });
});
