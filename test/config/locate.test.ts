/**
 * From field paths to YAML nodes (src/config/locate.ts) and from offsets to
 * lines and columns (src/config/diagnostics.ts): the same answers as the `yaml`
 * library gives, at a cost that does not grow with the document per lookup.
 */
import { lineCounterOf, positionOf } from '../../src/config/diagnostics';

describe('lines and columns', () => {
  /** The reference: count the line breaks before the offset. */
  function naive(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
  }

  it.each([
    ['an empty text', ''],
    ['one line without a break', 'version: 1'],
    ['LF lines and a final break', 'a: 1\nb: 2\n'],
    ['CRLF lines (the CR stays on its line)', 'a: 1\r\nb: 2\r\n\r\n'],
    ['a lone CR (not a line break)', 'a: 1\rb: 2\n'],
    ['empty lines and wide characters', '\n\n界🙂: x\n\n'],
  ])('GIVEN %s WHEN every offset is placed THEN line and column are those of a count of line breaks', (_name, text) => {
    const lines = lineCounterOf(text);
    for (let offset = 0; offset <= text.length; offset++) expect([offset, positionOf(lines, offset)]).toEqual([offset, naive(text, offset)]);
  });
});
