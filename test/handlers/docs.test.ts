import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../handlers/runtime/contract';

describe('docs/handlers.md', () => {
  const doc = readFileSync(join(__dirname, '../../docs/handlers.md'), 'utf8');

  it.each(Object.values(ENV))('GIVEN the contract variable %s WHEN the handler docs are read THEN its row is there', (name) => {
    expect(doc).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
  });

  it('GIVEN the docs WHEN their variable table is read THEN it names no variable the contract does not have', () => {
    const documented = [...doc.matchAll(/^\| `(CACHESTACK_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.values(ENV).sort());
  });
});
