/**
 * Table and escaping helpers shared by the plan and diff renderers.
 */

/** Rows of cells → lines with columns padded to the widest cell; trailing spaces trimmed. */
export function textTable(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) =>
    (indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('  ')).replace(/\s+$/, ''),
  );
}

/**
 * Control characters and line breaks as visible escapes (`\n`, `\u0007`): a
 * line break would end a table row or a list item, and the reader should see
 * that the value holds one.
 */
function visible(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0085\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Escape free text for a markdown table cell or paragraph: every character
 * markdown or GitHub's HTML gives a meaning to is a backslash escape or an
 * entity, so a value cannot open emphasis, a code span, a link, an HTML tag or
 * a new table cell, and a line break shows as `\n`.
 */
export function md(text: string): string {
  return visible(text.replace(/\\/g, '\\\\'))
    .replace(/&/g, '&amp;')
    .replace(/\|/g, '\\|')
    .replace(/\*/g, '\\*')
    .replace(/_/g, '\\_')
    .replace(/`/g, '\\`')
    .replace(/~/g, '\\~')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * An inline code span around any text: the fence is one backtick longer than
 * the longest run of backticks inside, padded with a space when the text
 * begins or ends with a backtick or a space (which the span would otherwise
 * join or strip). Inside a code span nothing else is markup, `<` included.
 */
function span(text: string): string {
  const t = visible(text);
  if (t === '') return '` `';
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(t) && t.trim() !== '' ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A code span for a table cell (identifiers, paths, keys): `|` escaped, as GitHub's tables read `\|` inside code as a pipe. */
export function code(text: string): string {
  return span(text.replace(/\|/g, '\\|'));
}

/** A code span in a heading, paragraph or list item, where `|` is no markup. */
export function codeSpan(text: string): string {
  return span(text);
}

/** A fenced code block around lines of any text: the fence is longer than any run of backticks in them. */
export function fenced(lines: readonly string[]): string[] {
  const body = lines.flatMap((l) => l.split(/\r\n|\r|\n/)).map((l) => l.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`));
  const longest = Math.max(0, ...body.flatMap((l) => l.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [fence, ...body, fence];
}

/** A markdown table: header row, separator, body rows. */
export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)];
}

/** Stable JSON: 2-space indent, newline at the end. Object keys keep insertion order, which the builders fix. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
