/**
 * User text in the markdown a reviewer reads (`explain --format markdown`,
 * `diff --format markdown`) stays text: a key pattern, a name or a path with
 * backticks, pipes, line breaks or HTML cannot add markup, close a code span,
 * split a table cell or end a list item.
 *
 * The code spans and paragraphs are checked with a CommonMark parser (the
 * `commonmark` reference implementation); GitHub's table cells, which CommonMark
 * does not have, by the rule GitHub documents: a row splits at every `|` not
 * preceded by a backslash, and `\|` is a pipe again inside the cell.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run } from '../../src/cli/main';
import { code, codeSpan, fenced, md, mdTable } from '../../src/plan/table';
import { captureIo } from '../cli/io';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const commonmark = require('commonmark') as { Parser: new () => { parse(text: string): CmNode } };
interface CmNode {
  type: string;
  literal: string | null;
  walker(): { next(): { entering: boolean; node: CmNode } | null };
}

/** The inline nodes of one markdown line (paragraph or list item), as `type:literal`. */
function inlines(markdown: string): string[] {
  const tree = new commonmark.Parser().parse(markdown);
  const walker = tree.walker();
  const out: string[] = [];
  for (let e = walker.next(); e; e = walker.next()) {
    if (!e.entering) continue;
    if (['document', 'paragraph', 'list', 'item', 'heading'].includes(e.node.type)) continue;
    out.push(`${e.node.type}:${e.node.literal ?? ''}`);
  }
  return out;
}

/** Cells of a GitHub table row: split at unescaped pipes, `\|` read back as `|`. */
function cells(row: string): string[] {
  const inner = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

const HOSTILE = [
  'user:``{id}``',
  'a`b',
  '`starts',
  'ends`',
  '``',
  'x```y````z',
  'pipe|in|it',
  'back\\|slash',
  'line\nbreak',
  'crlf\r\nbreak',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '](https://evil.example)[',
  '**bold** _em_ ~~strike~~',
  '&lt;entity&gt;',
  ' spaced ',
  'bell\u0007',
];

describe('markdown escaping of user text', () => {
  test.each(HOSTILE)('GIVEN %j WHEN written as a code span in prose THEN it parses as one code span holding the text', (value) => {
    const shown = value.replace(/\r\n|\r|\n/g, '\\n').replace(/\u0007/g, '\\u0007');
    expect(inlines(`- ${codeSpan(value)} tail`)).toEqual([`code:${shown}`, 'text: tail']);
  });

  test.each(HOSTILE)('GIVEN %j WHEN written as a code span in a table cell THEN the row keeps its cells and the cell is one code span holding the text', (value) => {
    const shown = value.replace(/\r\n|\r|\n/g, '\\n').replace(/\u0007/g, '\\u0007');
    const [, , row] = mdTable(['A', 'B', 'C'], [['left', code(value), 'right']]);
    expect(row.split('\n')).toHaveLength(1);
    const got = cells(row);
    expect(got).toHaveLength(3);
    expect(got[0]).toBe('left');
    expect(got[2]).toBe('right');
    expect(inlines(got[1])).toEqual([`code:${shown}`]);
  });

  test.each(HOSTILE)('GIVEN %j WHEN written as free text THEN it parses as plain text only, in one table cell', (value) => {
    const shown = value.replace(/\r\n|\r|\n/g, '\\n').replace(/\u0007/g, '\\u0007').trim();
    const [, , row] = mdTable(['A', 'B'], [[md(value), 'right']]);
    const got = cells(row);
    expect(got).toHaveLength(2);
    const nodes = inlines(got[0]);
    expect(nodes.every((n) => n.startsWith('text:'))).toBe(true);
    expect(nodes.map((n) => n.slice('text:'.length)).join('')).toBe(shown);
  });

  test('GIVEN the example identifiers WHEN escaped THEN they are written as before', () => {
    expect(code('header.Authorization')).toBe('`header.Authorization`');
    expect(codeSpan('user:profile:{userId}')).toBe('`user:profile:{userId}`');
    expect(md('5 min (resolver)')).toBe('5 min (resolver)');
  });

  test('GIVEN lines with backtick fences in them WHEN fenced THEN the fence is longer than any run inside and line breaks stay inside', () => {
    const block = fenced(['a.yaml:1:1: error[x]: pattern `` ``` `` is odd', 'two\nlines', '````']);
    expect(block[0]).toBe('`````');
    expect(block[block.length - 1]).toBe('`````');
    expect(block.slice(1, -1)).toEqual(['a.yaml:1:1: error[x]: pattern `` ``` `` is odd', 'two', 'lines', '````']);
    const tree = new commonmark.Parser().parse(`${block.join('\n')}\nafter`);
    const first = tree.walker();
    const types: string[] = [];
    for (let e = first.next(); e; e = first.next()) if (e.entering && e.node.type !== 'document') types.push(e.node.type);
    expect(types).toEqual(['code_block', 'paragraph', 'text']);
  });
});

describe('markdown escaping end to end', () => {
  const CONFIG = (pattern: string) =>
    [
      'version: 1',
      'service: svc',
      'region: us-east-1',
      'network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa] }',
      'redis:',
      '  cache:',
      '    nodeType: cache.t4g.small',
      '    keys:',
      `      - { pattern: ${JSON.stringify(pattern)}, ttlSeconds: 60, name: hostile }`,
      '',
    ].join('\n');
  const PATTERN = 'u:``{id}``|<img/src=x/onerror=alert(1)>';
  let dir: string;

  beforeEach(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-md-')));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('GIVEN a key pattern with backticks, a pipe and HTML WHEN explained as markdown THEN the key-pattern line holds it as one code span and no HTML', async () => {
    fs.writeFileSync(path.join(dir, 'svc.yaml'), CONFIG(PATTERN));
    const io = captureIo(dir);
    const code = await run(['explain', 'svc.yaml', '--format', 'markdown'], io);
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const line = io.out.split('\n').find((l) => l.startsWith('- `cache`'));
    expect(line).toBeDefined();
    expect(inlines(line!)).toEqual(['code:cache', 'text:: ', `code:${PATTERN}`, 'text: 60s (1m)']);
  });
});

describe('markdown escaping in diff', () => {
  const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', GIT_CONFIG_NOSYSTEM: '1' };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
  const CONFIG = (pattern: string) =>
    ['version: 1', 'service: svc', 'region: us-east-1', 'network: { vpcId: vpc-0123456789abcdef0, subnetIds: [subnet-0aaa] }', 'redis:', '  cache:', '    nodeType: cache.t4g.small', '    keys:', `      - { pattern: ${JSON.stringify(pattern)}, ttlSeconds: 60, name: hostile }`, ''].join('\n');
  let repo: string;

  beforeEach(() => {
    repo = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cachestack-mddiff-')));
    git(repo, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(repo, 'config'));
  });
  afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

  test('GIVEN a config file whose name has backticks, a pipe and HTML WHEN diffed as markdown THEN its heading holds the path as one code span', async () => {
    const name = 'we``ird|<b>x.yaml';
    fs.writeFileSync(path.join(repo, 'config', name), CONFIG('old:{id}'));
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'base');
    fs.writeFileSync(path.join(repo, 'config', name), CONFIG('new:{id}'));
    const io = captureIo(repo);
    expect(await run(['diff', '--base', 'main', '--format', 'markdown'], io)).toBe(0);
    const heading = io.out.split('\n').find((l) => l.startsWith('### '));
    expect(heading).toBeDefined();
    expect(inlines(heading!)).toEqual([`code:config/${name}`]);
  });
});
